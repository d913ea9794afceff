-- Roll back row-level security: RLS off on every context table and partition,
-- the policy indexes dropped, the per-table grants table dropped and the
-- context grants of 0174 restored (apply them with
-- SELECT * FROM ses_common.apply_context_grants(); column privileges granted
-- from table_grants stay until revoked by hand). The policies stay in the
-- catalog but do nothing once row-level security is disabled.
DO $row_security$
DECLARE
    v_table regclass;
    v_index regclass;
BEGIN
    FOR v_table IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', v_table);
        EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', v_table);
    END LOOP;
    FOR v_index IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        INNER JOIN pg_catalog.pg_index AS i ON i.indexrelid = c.oid
        INNER JOIN pg_catalog.pg_class AS t ON t.oid = i.indrelid
        WHERE n.nspname LIKE '%\_context' AND c.relname LIKE '%\_policy\_idx' AND NOT t.relispartition
    LOOP
        EXECUTE format('DROP INDEX %s', v_index);
    END LOOP;
END
$row_security$;

DROP TABLE ses_common.table_grants;

UPDATE ses_common.context_grants AS g SET table_privileges = v.table_privileges
FROM (
    VALUES
    ('project_context', 'ses_project_manager_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('project_context', 'ses_finance_role', ARRAY['SELECT']),
    ('engineer_context', 'ses_project_manager_role', ARRAY['SELECT']),
    ('engineer_context', 'ses_finance_role', ARRAY['SELECT']),
    ('matching_context', 'ses_project_manager_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('contract_context', 'ses_project_manager_role', ARRAY['SELECT', 'INSERT', 'UPDATE']),
    ('contract_context', 'ses_finance_role', ARRAY['SELECT']),
    ('timesheet_context', 'ses_project_manager_role', ARRAY['SELECT', 'UPDATE']),
    ('timesheet_context', 'ses_finance_role', ARRAY['SELECT']),
    ('billing_context', 'ses_finance_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('report_context', 'ses_project_manager_role', ARRAY['SELECT']),
    ('report_context', 'ses_finance_role', ARRAY['SELECT']),
    ('notification_context', 'ses_project_manager_role', ARRAY['SELECT']),
    ('notification_context', 'ses_finance_role', ARRAY['SELECT'])
) AS v (schema_name, role_name, table_privileges)
WHERE g.schema_name = v.schema_name AND g.role_name = v.role_name;

INSERT INTO ses_common.context_grants (schema_name, role_name, table_privileges)
SELECT c.schema_name, r.role_name, ARRAY['SELECT'] AS table_privileges
FROM (
    VALUES
    ('project_context'), ('engineer_context'), ('matching_context'), ('contract_context'),
    ('timesheet_context'), ('billing_context'), ('report_context'), ('notification_context')
) AS c (schema_name)
CROSS JOIN (VALUES ('bbase_operator'), ('bbase_readonly')) AS r (role_name)
ON CONFLICT (schema_name, role_name) DO UPDATE SET table_privileges = excluded.table_privileges;

REVOKE SELECT ON report_context.integrated_dashboard_stats, report_context.monthly_revenue_stats
FROM ses_admin_role, ses_finance_role;
GRANT SELECT ON report_context.integrated_dashboard_stats, report_context.monthly_revenue_stats
TO bbase_operator, bbase_readonly;
REVOKE SELECT ON ses_archive.archived_rows FROM ses_admin_role;
GRANT USAGE ON SCHEMA ses_archive TO bbase_operator, bbase_readonly;
GRANT SELECT ON ses_archive.archived_rows TO bbase_operator, bbase_readonly;
