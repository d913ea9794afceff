-- Why: the one decryption, behind the per-class functions that carry the
-- grants (decrypt_engineer_name, decrypt_payee_account, …). Internal: whoever
-- could call it with any class could read every class. A missing key is
-- SE120; a wrong key, a ciphertext of another class or corrupted bytes fail
-- the PGP integrity check and become SE121, never garbage and never NULL.
-- Key version 0 is clear text that migration 0181 moved in from an installed
-- database and rotation has not encrypted yet.
-- requires: sql/functions/ses_common/derive_class_password.sql, sql/functions/ses_common/read_session_key.sql
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
CREATE OR REPLACE FUNCTION ses_common.decrypt_personal_data(p_data_class text, p_data bytea)
RETURNS text
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_version integer;
    v_password text;
BEGIN
    IF p_data IS NULL THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.octet_length(p_data) < 3 THEN
        RAISE EXCEPTION '%: ciphertext of % bytes is not personal data', p_data_class, pg_catalog.octet_length(p_data)
            USING ERRCODE = 'SE121', DETAIL = pg_catalog.format('field=%s', p_data_class);
    END IF;
    v_version := (pg_catalog.get_byte(p_data, 0) << 8) | pg_catalog.get_byte(p_data, 1);
    IF v_version = 0 THEN
        RETURN pg_catalog.convert_from(pg_catalog.substr(p_data, 3), 'UTF8');
    END IF;
    v_password := ses_common.derive_class_password(p_data_class,
                                                   (ses_common.read_session_key(v_version, 'encryption')).key_material);
    BEGIN
        RETURN ses_crypto.pgp_sym_decrypt(pg_catalog.substr(p_data, 3), v_password,
                                          'cipher-algo=aes256, s2k-mode=1, compress-algo=0');
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION '%: the key loaded for version % does not decrypt this value', p_data_class, v_version
            USING ERRCODE = 'SE121',
                  DETAIL = pg_catalog.format('field=%s key_version=%s pgcrypto=%s', p_data_class, v_version, SQLERRM),
                  HINT = 'Wrong key for that version in the key set, a value of another data class, or corrupted bytes.';
    END;
END
$$;

COMMENT ON FUNCTION ses_common.decrypt_personal_data(text, bytea) IS
'Internal: clear text of a ciphertext of the given data class, with the key of its version loaded in this transaction. SE120 key not loaded, SE121 wrong key / other class / corrupt. Granted to nobody: call the decrypt_<class> function your role is granted.';

REVOKE ALL ON FUNCTION ses_common.decrypt_personal_data(text, bytea) FROM PUBLIC;
