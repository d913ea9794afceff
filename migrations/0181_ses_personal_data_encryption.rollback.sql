-- Roll back personal data encryption: the plain columns come back, filled from
-- values still at key version 0 (clear text the migration moved in). Values
-- encrypted since cannot be decrypted without the keys, which the database
-- never has: the rollback refuses while any exists, rather than lose them.
-- Decrypt them first (or accept the loss by setting them NULL).

DO $decrypt_columns$
DECLARE
    v_col record;
    v_plain text;
    v_left bigint;
BEGIN
    FOR v_col IN SELECT * FROM ses_common.encrypted_columns ORDER BY table_schema, table_name, column_name LOOP
        v_plain := left(v_col.column_name, -length('_encrypted'));
        EXECUTE format('SELECT count(*) FROM %I.%I WHERE %I IS NOT NULL AND %I <> 0',
                       v_col.table_schema, v_col.table_name, v_col.column_name, v_plain || '_key_version')
        INTO v_left;
        IF v_left > 0 THEN
            RAISE EXCEPTION 'cannot roll back 0181: %.%.% holds % encrypted values', v_col.table_schema,
                v_col.table_name, v_col.column_name, v_left
                USING HINT = 'The database has no keys to decrypt them; clear them or keep the migration.';
        END IF;
        EXECUTE format('ALTER TABLE %I.%I ADD COLUMN %I text', v_col.table_schema, v_col.table_name, v_plain);
        EXECUTE format('UPDATE %I.%I SET %I = convert_from(substr(%I, 3), ''UTF8'') WHERE %I IS NOT NULL',
                       v_col.table_schema, v_col.table_name, v_plain, v_col.column_name, v_col.column_name);
        EXECUTE format('ALTER TABLE %I.%I DROP COLUMN %I CASCADE', v_col.table_schema, v_col.table_name,
                       v_col.column_name);
        IF to_regclass('ses_common.table_grants') IS NOT NULL THEN
            EXECUTE 'UPDATE ses_common.table_grants SET column_names = '
                'array_remove(array_remove(array_replace(column_names, $2::name, $1::name), $3::name), '
                '''email_hmac''::name) WHERE schema_name = $4 AND table_name = $5 AND $2::name = ANY (column_names)'
            USING v_plain, v_col.column_name, v_plain || '_key_version', v_col.table_schema, v_col.table_name;
        END IF;
    END LOOP;
END
$decrypt_columns$;

ALTER TABLE engineer_context.engineers DROP COLUMN email_hmac;
ALTER TABLE engineer_context.engineers
ALTER COLUMN last_name SET NOT NULL,
ALTER COLUMN first_name SET NOT NULL,
ADD CHECK (btrim(last_name) <> ''),
ADD CHECK (btrim(first_name) <> ''),
ADD CHECK (email ~ '^[^@\s]+@[^@\s]+$');
ALTER TABLE billing_context.payee_accounts
ALTER COLUMN account_number SET NOT NULL,
ALTER COLUMN account_holder_kana SET NOT NULL,
ADD CHECK (account_number ~ '^[0-9]{7}$'),
ADD CHECK (account_holder_kana ~ '^[ｦｱ-ﾟA-Z0-9 ().-]{1,30}$');

-- The replaceable objects of the encryption go with it (replay never drops).
DROP FUNCTION IF EXISTS engineer_context.tg_engineers__check_personal_data() CASCADE;
DROP FUNCTION IF EXISTS billing_context.tg_payee_accounts__check_personal_data() CASCADE;
DROP FUNCTION IF EXISTS ses_common.rotate_personal_data_keys(integer);
DROP FUNCTION IF EXISTS ses_common.count_personal_data_key_versions();
DROP FUNCTION IF EXISTS ses_common.reencrypt_personal_data(text, bytea);
DROP FUNCTION IF EXISTS ses_common.blind_index_personal_data(text, text);
DROP FUNCTION IF EXISTS ses_common.compute_blind_index(text, text, integer);
DROP FUNCTION IF EXISTS ses_common.decrypt_engineer_name(bytea);
DROP FUNCTION IF EXISTS ses_common.decrypt_engineer_contact(bytea);
DROP FUNCTION IF EXISTS ses_common.decrypt_payee_account(bytea);
DROP FUNCTION IF EXISTS ses_common.decrypt_signer_contact(bytea);
DROP FUNCTION IF EXISTS ses_common.decrypt_delivery_address(bytea);
DROP FUNCTION IF EXISTS ses_common.decrypt_personal_data(text, bytea);
DROP FUNCTION IF EXISTS ses_common.encrypt_personal_data(text, text);
DROP FUNCTION IF EXISTS ses_common.check_data_class(text);
DROP FUNCTION IF EXISTS ses_common.is_personal_data_class(text);
DROP FUNCTION IF EXISTS ses_common.derive_class_password(text, bytea);
DROP FUNCTION IF EXISTS ses_common.read_current_key_version();
DROP FUNCTION IF EXISTS ses_common.read_session_key(integer, text);
DROP FUNCTION IF EXISTS ses_common.open_session_keys();
DROP TABLE ses_common.encrypted_columns;
DROP EXTENSION IF EXISTS pgcrypto;
DROP SCHEMA IF EXISTS ses_crypto;
