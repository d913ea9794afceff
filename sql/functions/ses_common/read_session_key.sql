-- Why: the one place that reads a key loaded for this transaction, so the
-- "not loaded" error (SE120) is the same everywhere. Internal: no role may
-- call it (it returns key material); only the SECURITY DEFINER functions of
-- ses_common do, as its owner. p_key_version NULL means the current version.
-- requires: sql/functions/ses_common/open_session_keys.sql
CREATE OR REPLACE FUNCTION ses_common.read_session_key(p_key_version integer, p_purpose text)
RETURNS bytea
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_key bytea;
BEGIN
    IF pg_catalog.to_regclass('pg_temp.ses_session_keys') IS NOT NULL THEN
        SELECT CASE p_purpose WHEN 'encryption' THEN k.encryption_key ELSE k.blind_index_key END
        INTO v_key
        FROM pg_temp.ses_session_keys AS k
        WHERE (p_key_version IS NULL AND k.is_current) OR k.key_version = p_key_version;
    END IF;
    IF v_key IS NULL OR pg_catalog.octet_length(v_key) <> 32 THEN
        RAISE EXCEPTION 'personal data key % is not loaded in this transaction',
            coalesce('version ' || p_key_version, 'current')
            USING ERRCODE = 'SE120',
                  DETAIL = pg_catalog.format('key_version=%s purpose=%s', coalesce(p_key_version::text, 'current'), p_purpose),
                  HINT = 'Load the keys in this transaction first (bbase.keys.load_keys: ses_common.open_session_keys() then COPY pg_temp.ses_session_keys FROM STDIN); keys last one transaction.';
    END IF;
    RETURN v_key;
END
$$;

COMMENT ON FUNCTION ses_common.read_session_key(integer, text) IS
'Internal: the 32-byte key of a version (NULL: the current one) and purpose (encryption or blind_index) loaded in this transaction; SE120 when it is not loaded. Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.read_session_key(integer, text) FROM PUBLIC;
