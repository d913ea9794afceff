-- Why: rotation rewrites a value under the current key version only when it
-- is not there already (a value written after the rotation started is left
-- alone). Internal: it decrypts any class.
-- requires: sql/functions/ses_common/decrypt_personal_data.sql, sql/functions/ses_common/encrypt_personal_data.sql, sql/functions/ses_common/read_current_key_version.sql
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
CREATE OR REPLACE FUNCTION ses_common.reencrypt_personal_data(p_data_class text, p_data bytea)
RETURNS bytea
LANGUAGE sql
VOLATILE
RETURN CASE
    WHEN p_data IS NULL THEN NULL
    WHEN ((pg_catalog.get_byte(p_data, 0) << 8) | pg_catalog.get_byte(p_data, 1))
        = ses_common.read_current_key_version() THEN p_data
    ELSE ses_common.encrypt_personal_data(p_data_class, ses_common.decrypt_personal_data(p_data_class, p_data))
END;

COMMENT ON FUNCTION ses_common.reencrypt_personal_data(text, bytea) IS
'Internal: the value under the current key version (unchanged if already there; version 0 clear text gets encrypted). Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.reencrypt_personal_data(text, bytea) FROM PUBLIC;
