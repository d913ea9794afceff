-- Why: the only way personal data enters a table. Encrypts under the current
-- key version loaded in this transaction (SE120 if none) with pgcrypto's PGP
-- format: AES-256, a random IV and an integrity check, so a wrong key is an
-- error and never garbage. s2k-mode=1 (salted, one hash): the password is a
-- random 256-bit derived key, and the default mode 3 would stretch it ~65,000
-- hash rounds per value for nothing (bbase bench ses measures it). No
-- compression: it would leak the length of the clear text in another way.
-- The result starts with the 2-byte key version.
-- requires: sql/functions/ses_common/derive_class_password.sql, sql/functions/ses_common/check_data_class.sql, sql/functions/ses_common/is_personal_data_class.sql, sql/functions/ses_common/read_session_key.sql
CREATE OR REPLACE FUNCTION ses_common.encrypt_personal_data(p_data_class text, p_value text)
RETURNS bytea
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_key record;
BEGIN
    IF NOT ses_common.is_personal_data_class(p_data_class) THEN
        PERFORM ses_common.check_data_class(p_data_class);
    END IF;
    IF p_value IS NULL THEN
        RETURN NULL;
    END IF;
    IF p_value ~ '^[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]*$' THEN
        RAISE EXCEPTION '%: a blank value is not personal data; store NULL instead', p_data_class
            USING ERRCODE = 'SE122',
                  DETAIL = pg_catalog.format('field=%s value=%s', p_data_class, pg_catalog.quote_literal(p_value)),
                  HINT = 'Whitespace only (any Unicode space) counts as blank.';
    END IF;
    IF pg_catalog.octet_length(p_value) > 4096 THEN
        RAISE EXCEPTION '%: value of % bytes, at most 4096', p_data_class, pg_catalog.octet_length(p_value)
            USING ERRCODE = 'SE122',
                  DETAIL = pg_catalog.format('field=%s octet_length=%s', p_data_class, pg_catalog.octet_length(p_value));
    END IF;
    v_key := ses_common.read_session_key(NULL, 'encryption');
    RETURN pg_catalog.int2send(v_key.key_version::smallint)
        || ses_crypto.pgp_sym_encrypt(p_value, ses_common.derive_class_password(p_data_class, v_key.key_material),
                                      'cipher-algo=aes256, s2k-mode=1, compress-algo=0');
END
$$;

COMMENT ON FUNCTION ses_common.encrypt_personal_data(text, text) IS
'Ciphertext of a personal value under the current key version loaded in this transaction: 2-byte version || pgp_sym_encrypt (aes256, s2k-mode=1). NULL stays NULL; SE122 for an unknown data class, a blank or an oversize (> 4096 bytes) value; SE120 without keys. Example: UPDATE engineer_context.engineers SET phone_encrypted = ses_common.encrypt_personal_data(''engineer_contact'', ''090-1234-5678'') WHERE id = …';

REVOKE ALL ON FUNCTION ses_common.encrypt_personal_data(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.encrypt_personal_data(text, text)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
