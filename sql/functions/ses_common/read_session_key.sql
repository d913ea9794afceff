-- Why: the one place that reads a key loaded for this transaction, so the
-- "not loaded" error (SE120) is the same everywhere. Internal: no role may
-- call it (it returns key material); only the SECURITY DEFINER functions of
-- ses_common do, as its owner. p_key_version NULL means the current version;
-- the version found is returned with the key, so that encrypting costs one
-- look-up. Two plain queries rather than one with OR: each gets a cached
-- generic plan instead of being planned again on every value.
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
-- requires: sql/functions/ses_common/open_session_keys.sql
CREATE OR REPLACE FUNCTION ses_common.read_session_key(
    p_key_version integer, p_purpose text, OUT key_version integer, OUT key_material bytea
)
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF pg_catalog.to_regclass('pg_temp.ses_session_keys') IS NOT NULL THEN
        IF p_key_version IS NULL THEN
            SELECT k.key_version, CASE p_purpose WHEN 'encryption' THEN k.encryption_key ELSE k.blind_index_key END
            INTO key_version, key_material
            FROM pg_temp.ses_session_keys AS k
            WHERE k.is_current;
        ELSE
            SELECT k.key_version, CASE p_purpose WHEN 'encryption' THEN k.encryption_key ELSE k.blind_index_key END
            INTO key_version, key_material
            FROM pg_temp.ses_session_keys AS k
            WHERE k.key_version = p_key_version;
        END IF;
    END IF;
    IF key_material IS NULL OR pg_catalog.octet_length(key_material) <> 32 OR key_version NOT BETWEEN 1 AND 32767 THEN
        RAISE EXCEPTION 'personal data key % is not loaded in this transaction',
            coalesce('version ' || p_key_version, 'current')
            USING ERRCODE = 'SE120',
                  DETAIL = pg_catalog.format('key_version=%s purpose=%s', coalesce(p_key_version::text, 'current'), p_purpose),
                  HINT = 'Load the keys in this transaction first (bbase.keys.load_keys: ses_common.open_session_keys() then COPY pg_temp.ses_session_keys FROM STDIN); keys last one transaction.';
    END IF;
END
$$;

COMMENT ON FUNCTION ses_common.read_session_key(integer, text) IS
'Internal: the version and 32-byte key of a version (NULL: the current one) and purpose (encryption or blind_index) loaded in this transaction; SE120 when it is not loaded. Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.read_session_key(integer, text) FROM PUBLIC;
