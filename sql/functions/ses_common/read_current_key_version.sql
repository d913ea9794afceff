-- Why: writers encrypt under the current key version of the key set loaded
-- in this transaction; one place says which it is, or SE120 when no key set
-- is loaded. The version number is not secret.
-- requires: sql/functions/ses_common/open_session_keys.sql
CREATE OR REPLACE FUNCTION ses_common.read_current_key_version()
RETURNS integer
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_version integer;
BEGIN
    IF pg_catalog.to_regclass('pg_temp.ses_session_keys') IS NOT NULL THEN
        SELECT k.key_version INTO v_version FROM pg_temp.ses_session_keys AS k WHERE k.is_current;
    END IF;
    IF v_version IS NULL OR v_version NOT BETWEEN 1 AND 32767 THEN
        RAISE EXCEPTION 'no personal data key set is loaded in this transaction'
            USING ERRCODE = 'SE120',
                  DETAIL = 'key_version=current',
                  HINT = 'Load the keys in this transaction first (bbase.keys.load_keys: ses_common.open_session_keys() then COPY pg_temp.ses_session_keys FROM STDIN); keys last one transaction.';
    END IF;
    RETURN v_version;
END
$$;

COMMENT ON FUNCTION ses_common.read_current_key_version() IS
'The current key version of the key set loaded in this transaction (1-32767); SE120 when none is loaded.';

REVOKE ALL ON FUNCTION ses_common.read_current_key_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.read_current_key_version()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
