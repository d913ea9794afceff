-- Why: rotation and re-encryption compare a value's version with the current
-- version of the key set loaded in this transaction; one place says which it
-- is, or SE120 when no key set is loaded.
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
-- requires: sql/functions/ses_common/read_session_key.sql
CREATE OR REPLACE FUNCTION ses_common.read_current_key_version()
RETURNS integer
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    RETURN (ses_common.read_session_key(NULL, 'encryption')).key_version;
END
$$;

COMMENT ON FUNCTION ses_common.read_current_key_version() IS
'Internal: the current key version of the key set loaded in this transaction (1-32767); SE120 when none is loaded. Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.read_current_key_version() FROM PUBLIC;
