-- Why: personal data keys must never be in the database, in SQL text, in
-- pg_stat_statements or in the server log. The glue loads them for one
-- transaction with COPY … FROM STDIN (COPY data is not statement text) into
-- pg_temp.ses_session_keys, which this function prepares. The table is owned
-- by the definer, so the caller gets INSERT (what COPY FROM needs) but can
-- never read the keys back; only the SECURITY DEFINER functions of ses_common
-- read them. ON COMMIT DELETE ROWS: the keys vanish at the end of the
-- transaction, so a server connection that a transaction pooler hands to the
-- next client carries none. A temporary table is visible to its own backend
-- only, hence INSERT to PUBLIC. No constraint that could print a row in an
-- error message (NOT NULL, CHECK); the unique indexes print only the version
-- and the current flag.
CREATE OR REPLACE FUNCTION ses_common.open_session_keys()
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_table regclass := pg_catalog.to_regclass('pg_temp.ses_session_keys');
BEGIN
    IF v_table IS NULL THEN
        CREATE TEMPORARY TABLE ses_session_keys (
            key_version integer,
            is_current boolean,
            encryption_key bytea,
            blind_index_key bytea
        ) ON COMMIT DELETE ROWS;
        CREATE UNIQUE INDEX ses_session_keys_version_key ON pg_temp.ses_session_keys (key_version);
        CREATE UNIQUE INDEX ses_session_keys_current_key ON pg_temp.ses_session_keys (is_current) WHERE is_current;
        REVOKE ALL ON pg_temp.ses_session_keys FROM PUBLIC;
        GRANT INSERT ON pg_temp.ses_session_keys TO PUBLIC;
    ELSIF (SELECT c.relowner FROM pg_catalog.pg_class AS c WHERE c.oid = v_table)
          <> (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'pg_temp.ses_session_keys exists and is not the key table of ses_common'
            USING ERRCODE = 'SE123',
                  DETAIL = pg_catalog.format('owner=%s', pg_catalog.pg_get_userbyid(
                      (SELECT c.relowner FROM pg_catalog.pg_class AS c WHERE c.oid = v_table))),
                  HINT = 'Someone created a table of that name in this session (its owner could read keys loaded into it): reconnect.';
    END IF;
    DELETE FROM pg_temp.ses_session_keys;
END
$$;

COMMENT ON FUNCTION ses_common.open_session_keys() IS
'Prepares pg_temp.ses_session_keys for this transaction (created if missing, emptied). Then load the keys with COPY pg_temp.ses_session_keys (key_version, is_current, encryption_key, blind_index_key) FROM STDIN (bbase.keys.load_keys does both); they are deleted at commit or rollback. SE123 if a table of that name owned by someone else exists.';

REVOKE ALL ON FUNCTION ses_common.open_session_keys() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.open_session_keys()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
