-- Why: exact look-ups (an engineer by e-mail) without clear text: a keyed
-- HMAC of the normalised value under the version's blind-index key (not the
-- encryption key: a leaked index key reveals nothing of the ciphertexts), per
-- data class. Normalised so that ' Yamada@Example.JP' and its full-width form
-- find the same row. Internal; prefixed with the 2-byte version like the
-- ciphertexts. plpgsql so that it installs without ses_crypto (see
-- derive_class_password).
-- requires: sql/functions/ses_common/read_session_key.sql
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
CREATE OR REPLACE FUNCTION ses_common.compute_blind_index(p_data_class text, p_value text, p_key_version integer)
RETURNS bytea
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_value IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN pg_catalog.int2send(p_key_version::smallint)
        || ses_crypto.hmac(
            pg_catalog.convert_to(pg_catalog.lower(pg_catalog.btrim(pg_catalog.normalize(p_value, 'NFKC'))), 'UTF8'),
            ses_crypto.hmac(pg_catalog.convert_to(p_data_class, 'UTF8'),
                            (ses_common.read_session_key(p_key_version, 'blind_index')).key_material, 'sha256'),
            'sha256');
END
$$;

COMMENT ON FUNCTION ses_common.compute_blind_index(text, text, integer) IS
'Internal: 2-byte version || HMAC-SHA256 of lower(btrim(NFKC(value))) under the blind-index key of that version (per data class). Granted to nobody; look up with blind_index_personal_data.';

REVOKE ALL ON FUNCTION ses_common.compute_blind_index(text, text, integer) FROM PUBLIC;
