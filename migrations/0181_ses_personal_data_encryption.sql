-- depends: 0180_ses_row_level_security
-- Personal data encrypted at rest (issue 8): engineers' names, kana, e-mail
-- and phone; payee account numbers and holders; signers' e-mail; notification
-- delivery addresses.
--
-- Why: the clear text must not be in any table. Each value becomes a bytea
-- ciphertext: 2 bytes key version (big-endian) followed by a pgcrypto PGP
-- message; the key version is a STORED generated column read from those two
-- bytes, so it can never disagree with the ciphertext and writers write one
-- column. Keys never enter the database: the glue loads them per transaction
-- into a temporary table (ses_common.open_session_keys, docs/ses.md).
-- The functions that encrypt, decrypt and rotate are replaceable files under
-- sql/; this migration only changes shapes and registers the columns.
--
-- Upgrading a database that held clear text: the migration has no key (and
-- must not have one), so it moves each clear value into its ciphertext column
-- as key version 0 ("not yet encrypted": \x0000 || UTF-8 bytes) and drops the
-- plain column; `bbase ses rotate-keys` then encrypts version 0 in batches.
-- On a fresh install the tables are empty and nothing moves.

CREATE SCHEMA IF NOT EXISTS ses_crypto;
REVOKE ALL ON SCHEMA ses_crypto FROM PUBLIC;
COMMENT ON SCHEMA ses_crypto IS
'pgcrypto, for the SES personal data functions only (SECURITY DEFINER functions of ses_common call it; no role has USAGE).';
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA ses_crypto;

CREATE TABLE ses_common.encrypted_columns (
    table_schema name NOT NULL,
    table_name name NOT NULL,
    column_name name NOT NULL,
    data_class text NOT NULL CHECK (
        data_class IN ('engineer_name', 'engineer_contact', 'payee_account', 'signer_contact', 'delivery_address')
    ),
    PRIMARY KEY (table_schema, table_name, column_name)
);

COMMENT ON TABLE ses_common.encrypted_columns IS
'Every column holding encrypted personal data (2-byte key version || PGP message), with its data class. Rotation and the tests read this list; each column has a generated <name minus _encrypted>_key_version beside it.';
COMMENT ON COLUMN ses_common.encrypted_columns.table_schema IS 'Schema of the table.';
COMMENT ON COLUMN ses_common.encrypted_columns.table_name IS 'Table holding the ciphertext.';
COMMENT ON COLUMN ses_common.encrypted_columns.column_name IS 'The bytea ciphertext column (name ends in _encrypted).';
COMMENT ON COLUMN ses_common.encrypted_columns.data_class IS
'What the value is; the encryption password is derived per class, and one decrypt function per class carries the grants of who may read it.';

GRANT SELECT ON ses_common.encrypted_columns TO ses_admin_role;

INSERT INTO ses_common.encrypted_columns (table_schema, table_name, column_name, data_class) VALUES
('engineer_context', 'engineers', 'email_encrypted', 'engineer_contact'),
('engineer_context', 'engineers', 'first_name_encrypted', 'engineer_name'),
('engineer_context', 'engineers', 'first_name_kana_encrypted', 'engineer_name'),
('engineer_context', 'engineers', 'last_name_encrypted', 'engineer_name'),
('engineer_context', 'engineers', 'last_name_kana_encrypted', 'engineer_name'),
('engineer_context', 'engineers', 'phone_encrypted', 'engineer_contact'),
('billing_context', 'payee_accounts', 'account_holder_kana_encrypted', 'payee_account'),
('billing_context', 'payee_accounts', 'account_holder_name_encrypted', 'payee_account'),
('billing_context', 'payee_accounts', 'account_number_encrypted', 'payee_account'),
('contract_context', 'contract_signatures', 'signer_email_encrypted', 'signer_contact'),
('notification_context', 'notification_deliveries', 'recipient_address_encrypted', 'delivery_address');

-- One ciphertext column and its generated key version per registered column;
-- existing clear text moves in as version 0, then the plain column goes.
DO $encrypt_columns$
DECLARE
    v_col record;
    v_plain text;
    v_version text;
BEGIN
    FOR v_col IN SELECT * FROM ses_common.encrypted_columns ORDER BY table_schema, table_name, column_name LOOP
        v_plain := left(v_col.column_name, -length('_encrypted'));
        v_version := v_plain || '_key_version';
        EXECUTE format('ALTER TABLE %I.%I ADD COLUMN %I bytea CHECK (octet_length(%I) > 2)',
                       v_col.table_schema, v_col.table_name, v_col.column_name, v_col.column_name);
        EXECUTE format('ALTER TABLE %I.%I ADD COLUMN %I integer GENERATED ALWAYS AS '
                       '((get_byte(%I, 0) << 8) | get_byte(%I, 1)) STORED',
                       v_col.table_schema, v_col.table_name, v_version, v_col.column_name, v_col.column_name);
        EXECUTE format('UPDATE %I.%I SET %I = ''\x0000''::bytea || convert_to(%I, ''UTF8'') WHERE %I IS NOT NULL',
                       v_col.table_schema, v_col.table_name, v_col.column_name, v_plain, v_plain);
        EXECUTE format('ALTER TABLE %I.%I DROP COLUMN %I', v_col.table_schema, v_col.table_name, v_plain);
        -- Column grants of the row-level security migration (ses_common.table_grants,
        -- when installed) name the plain column: they now name its ciphertext and
        -- key version, so whoever could read the column reads its ciphertext.
        IF to_regclass('ses_common.table_grants') IS NOT NULL THEN
            EXECUTE 'UPDATE ses_common.table_grants SET column_names = '
                'array_replace(column_names, $1::name, $2::name) || ARRAY[$3::name] '
                'WHERE schema_name = $4 AND table_name = $5 AND $1::name = ANY (column_names)'
            USING v_plain, v_col.column_name, v_version, v_col.table_schema, v_col.table_name;
        END IF;
        EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', v_col.table_schema, v_col.table_name, v_col.column_name,
                       'Encrypted personal data (' || v_col.data_class || ', was ' || v_plain
                       || '): 2-byte key version || pgcrypto PGP message; read with ses_common.decrypt_'
                       || CASE v_col.data_class
                           WHEN 'engineer_name' THEN 'engineer_name'
                           WHEN 'engineer_contact' THEN 'engineer_contact'
                           WHEN 'payee_account' THEN 'payee_account'
                           WHEN 'signer_contact' THEN 'signer_contact'
                           ELSE 'delivery_address' END
                       || ', write with ses_common.encrypt_personal_data(''' || v_col.data_class || ''', value).');
        EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', v_col.table_schema, v_col.table_name, v_version,
                       'Key version of ' || v_col.column_name
                       || ' (generated from its first two bytes; 0 = clear text not yet encrypted).');
    END LOOP;
END
$encrypt_columns$;

ALTER TABLE engineer_context.engineers
ALTER COLUMN last_name_encrypted SET NOT NULL,
ALTER COLUMN first_name_encrypted SET NOT NULL,
ADD COLUMN email_hmac bytea;
DO $blind_index_grants$
BEGIN
    IF to_regclass('ses_common.table_grants') IS NOT NULL THEN
        UPDATE ses_common.table_grants SET column_names = column_names || '{email_hmac}'::name []
        WHERE schema_name = 'engineer_context' AND table_name = 'engineers'
            AND 'email_encrypted' = ANY(column_names);
    END IF;
END
$blind_index_grants$;
COMMENT ON COLUMN engineer_context.engineers.email_hmac IS
'Blind index of the e-mail: 2-byte key version || HMAC-SHA256 of the normalised address under that version''s blind-index key. Set by tg_engineers__check_personal_data; look up with email_hmac = ANY (ses_common.blind_index_personal_data(''engineer_contact'', address)).';

ALTER TABLE billing_context.payee_accounts
ALTER COLUMN account_number_encrypted SET NOT NULL,
ALTER COLUMN account_holder_kana_encrypted SET NOT NULL;

-- The blind index look-up, and one index per table under the smallest key
-- version of its values: rotation finds the rows not yet at the current
-- version through it. The LEAST lists the version columns in the order of
-- their ciphertext column names, as ses_common.rotate_personal_data_keys
-- writes it (the expressions must match).
CREATE INDEX engineers_email_hmac_idx ON engineer_context.engineers (email_hmac) WHERE deleted_at IS NULL;
CREATE INDEX engineers_personal_data_key_version_idx ON engineer_context.engineers (
    least(email_key_version, first_name_key_version, first_name_kana_key_version,
          last_name_key_version, last_name_kana_key_version, phone_key_version)
);
CREATE INDEX payee_accounts_personal_data_key_version_idx ON billing_context.payee_accounts (
    least(account_holder_kana_key_version, account_holder_name_key_version, account_number_key_version)
);
CREATE INDEX contract_signatures_personal_data_key_version_idx ON contract_context.contract_signatures (
    least(signer_email_key_version)
);
CREATE INDEX notification_deliveries_personal_data_key_version_idx ON notification_context.notification_deliveries (
    least(recipient_address_key_version)
);
