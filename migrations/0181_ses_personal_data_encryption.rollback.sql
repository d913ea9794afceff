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

DROP TABLE ses_common.encrypted_columns;
DROP EXTENSION IF EXISTS pgcrypto;
DROP SCHEMA IF EXISTS ses_crypto;
