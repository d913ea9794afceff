-- Schema-level settings for project_context. Replayed by bbase migrate.
-- Grants are minimal until row-level security (a later issue) narrows rows:
-- ses_engineer_role and ses_customer_role get USAGE only, because without
-- policies a table grant would show them every engineer's or customer's rows.
-- Table grants go to the tables, not their partitions (access goes through the
-- parent), so a fresh install and an upgraded one hold the same grants.
COMMENT ON SCHEMA project_context IS
'Project context (案件管理, phase 1 core): projects and their requirements, phases and milestones.';

GRANT USAGE ON SCHEMA project_context
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role,
bbase_operator, bbase_readonly;

DO $grants$
DECLARE
    v_table regclass;
BEGIN
    FOR v_table IN
        SELECT c.oid::regclass FROM pg_catalog.pg_class AS c
        WHERE c.relnamespace = 'project_context'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ses_admin_role', v_table);
        EXECUTE format('GRANT SELECT ON %s TO bbase_operator, bbase_readonly', v_table);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ses_project_manager_role', v_table);
        EXECUTE format('GRANT SELECT ON %s TO ses_finance_role', v_table);
    END LOOP;
END
$grants$;
