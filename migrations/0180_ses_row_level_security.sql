-- depends: 0179_zengin_field_limits
-- Row-level security for the five SES roles on every table of every *_context
-- schema, and table grants narrowed to match the policies.
--
-- Why: until now grants were per context schema, so ses_engineer_role and
-- ses_customer_role could read nothing (not even their own rows), while the
-- project manager, finance and the Zengin roles bbase_operator/bbase_readonly
-- read every engineer's personal data and every payee account. Now a role
-- needs both a table privilege and a policy, and the policies
-- (sql/policies/<schema>/<table>.sql) narrow rows to the acting user given by
-- the transaction-local setting app.current_user_id (ses_common.act_as).
--
-- What this migration holds (data and DDL; the policies and functions are
-- replayable files):
-- * ses_common.table_grants: per-table and per-column grants of a role, which
--   replace that role's ses_common.context_grants row for that one table
--   (column privileges hide the customer-side price from engineers and
--   engineers' contact data from project managers, finance and customers).
--   ses_common.apply_context_grants reads both tables.
-- * context_grants: the four narrowed roles keep schema USAGE only; their
--   table privileges are table_grants rows. The Zengin roles lose every SES
--   context row (they read no SES table), the materialized views and the
--   archive too.
-- * ENABLE and FORCE ROW LEVEL SECURITY on every table and every partition of
--   every context. FORCE because the owner (the migrating role, not a
--   superuser on Amazon RDS) would otherwise bypass the policies; the
--   SECURITY DEFINER maintenance functions and triggers run as the owner and
--   pass through the owner's policy, which admits rows only while the
--   transaction-local flag ses_common.maintenance is on (each of those
--   functions sets it with a SET clause; see apply_maintenance_policies).
--   Partitions: queries through the parent use the parent's policies; a
--   partition named directly has no grant and only the owner's maintenance
--   policy. ses_common.create_partitions protects the partitions it makes.
-- * A plain (non-partial) index under every uuid column a policy filters on
--   that lacks one: the policies do not say deleted_at IS NULL, so the partial
--   indexes of the common strategy cannot serve them.

CREATE TABLE ses_common.table_grants (
    schema_name name NOT NULL,
    table_name name NOT NULL,
    role_name name NOT NULL,
    privilege text NOT NULL,
    column_names name[],
    PRIMARY KEY (schema_name, table_name, role_name, privilege),
    CONSTRAINT table_grants_schema_is_a_context
    CHECK (schema_name ~ '^[a-z][a-z0-9_]*_context$'),
    CONSTRAINT table_grants_role_is_a_role
    CHECK (role_name <> '' AND lower(role_name) <> 'public' AND role_name !~ '^pg_'),
    CONSTRAINT table_grants_privilege_known
    CHECK (privilege IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')),
    CONSTRAINT table_grants_columns_only_for_column_privileges
    CHECK (column_names IS NULL OR privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')),
    CONSTRAINT table_grants_columns_listed
    CHECK (
        column_names IS NULL
        OR (cardinality(column_names) > 0 AND array_ndims(column_names) = 1 AND array_position(column_names, NULL) IS NULL)
    )
);

COMMENT ON TABLE ses_common.table_grants IS
'Per-table grants of the SES roles, one row per role, table and privilege. When a role has any row for a table, these rows are its whole set of privileges on that table and its ses_common.context_grants row does not apply there; the role still gets schema USAGE. column_names NULL: a table privilege; otherwise a column privilege on those columns only. Applied with the context grants by ses_common.apply_context_grants(). A role needs the privilege here and a row-level security policy (sql/policies/) to touch a row.';
COMMENT ON COLUMN ses_common.table_grants.schema_name IS 'An SES context schema (<name>_context).';
COMMENT ON COLUMN ses_common.table_grants.table_name IS 'A table of that schema (the partitioned parent for partitioned tables). A row for a table not installed here is kept and applied once it is.';
COMMENT ON COLUMN ses_common.table_grants.role_name IS 'The role granted to (not PUBLIC, not a pg_ role); it becomes a managed role of apply_context_grants.';
COMMENT ON COLUMN ses_common.table_grants.privilege IS 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER.';
COMMENT ON COLUMN ses_common.table_grants.column_names IS 'NULL: the privilege on the whole table. Otherwise the columns the privilege covers (SELECT, INSERT, UPDATE, REFERENCES only); every column must exist (apply_context_grants raises SE100 otherwise).';

GRANT SELECT ON ses_common.table_grants TO ses_admin_role;

-- The Zengin roles read no SES table. bbase_operator keeps schema USAGE only:
-- it runs the SES maintenance functions (purge, partitions, refresh), whose
-- arguments name context tables; bbase_readonly keeps nothing. The four
-- narrowed roles get USAGE only from the context rows and their table
-- privileges from table_grants.
DELETE FROM ses_common.context_grants WHERE role_name = 'bbase_readonly';
UPDATE ses_common.context_grants SET table_privileges = '{}'
WHERE role_name IN (
    'bbase_operator', 'ses_project_manager_role', 'ses_finance_role', 'ses_engineer_role', 'ses_customer_role'
);

-- Who may touch which table. Read with the policies of the same table.
INSERT INTO ses_common.table_grants (schema_name, table_name, role_name, privilege, column_names)
SELECT
    split_part(g.tbl, '.', 1) AS schema_name,
    split_part(g.tbl, '.', 2) AS table_name,
    g.role_name,
    p.privilege,
    g.column_names
FROM (
    VALUES
    -- Project managers: the projects they manage or sell and what hangs off them.
    ('project_context.projects', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL::name[]),
    ('project_context.project_requirements', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('project_context.project_phases', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('project_context.project_milestones', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    -- Placement needs names, skills, rates and availability, not contact data.
    ('engineer_context.engineers', 'ses_project_manager_role', '{SELECT}',
     '{id,engineer_code,last_name,first_name,last_name_kana,first_name_kana,employment_type,partner_company_id,partner_company_name,chain_depth,availability_status,available_from,skills,years_of_experience,desired_unit_price,minimum_unit_price,nearest_station,prefecture,remote_preference,sales_manager_id,created_at,updated_at,deleted_at,version}'),
    ('engineer_context.skill_assessments', 'ses_project_manager_role', '{SELECT}', NULL),
    ('engineer_context.certifications', 'ses_project_manager_role', '{SELECT}', NULL),
    ('engineer_context.availability_periods', 'ses_project_manager_role', '{SELECT}', NULL),
    ('matching_context.matching_requests', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('matching_context.matching_candidates', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('matching_context.matching_results', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('matching_context.scoring_criteria', 'ses_project_manager_role', '{SELECT}', NULL),
    ('contract_context.contract_templates', 'ses_project_manager_role', '{SELECT}', NULL),
    ('contract_context.contracts', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE}', NULL),
    ('contract_context.contract_signatures', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE}', NULL),
    ('contract_context.contract_amendments', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE}', NULL),
    ('timesheet_context.timesheets', 'ses_project_manager_role', '{SELECT}', NULL),
    ('timesheet_context.timesheets', 'ses_project_manager_role', '{UPDATE}',
     '{status,approved_at,approved_by,rejected_at,rejection_reason,version}'),
    ('timesheet_context.daily_attendances', 'ses_project_manager_role', '{SELECT}', NULL),
    ('timesheet_context.timesheet_approval_steps', 'ses_project_manager_role', '{SELECT,INSERT}', NULL),
    ('timesheet_context.timesheet_adjustments', 'ses_project_manager_role', '{SELECT}', NULL),
    ('billing_context.invoices', 'ses_project_manager_role', '{SELECT}', NULL),
    ('report_context.kpi_definitions', 'ses_project_manager_role', '{SELECT}', NULL),
    ('report_context.kpi_values', 'ses_project_manager_role', '{SELECT}', NULL),
    ('report_context.dashboards', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('report_context.dashboard_widgets', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('report_context.report_templates', 'ses_project_manager_role', '{SELECT}', NULL),
    ('report_context.generated_reports', 'ses_project_manager_role', '{SELECT,INSERT}', NULL),
    ('notification_context.notifications', 'ses_project_manager_role', '{SELECT}', NULL),
    ('notification_context.notification_deliveries', 'ses_project_manager_role', '{SELECT}', NULL),
    ('notification_context.notification_subscriptions', 'ses_project_manager_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    -- Finance: all of billing; contracts and timesheets read-only; project and
    -- engineer data only as far as invoicing needs it.
    ('project_context.projects', 'ses_finance_role', '{SELECT}', NULL),
    ('engineer_context.engineers', 'ses_finance_role', '{SELECT}',
     '{id,engineer_code,last_name,first_name,last_name_kana,first_name_kana,employment_type,partner_company_id,partner_company_name,invoice_registration_no,created_at,updated_at,deleted_at,version}'),
    ('contract_context.contract_templates', 'ses_finance_role', '{SELECT}', NULL),
    ('contract_context.contracts', 'ses_finance_role', '{SELECT}', NULL),
    ('contract_context.contract_signatures', 'ses_finance_role', '{SELECT}', NULL),
    ('contract_context.contract_amendments', 'ses_finance_role', '{SELECT}', NULL),
    ('timesheet_context.timesheets', 'ses_finance_role', '{SELECT}', NULL),
    ('timesheet_context.daily_attendances', 'ses_finance_role', '{SELECT}', NULL),
    ('timesheet_context.timesheet_approval_steps', 'ses_finance_role', '{SELECT}', NULL),
    ('timesheet_context.timesheet_adjustments', 'ses_finance_role', '{SELECT}', NULL),
    ('billing_context.payee_accounts', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('billing_context.invoices', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('billing_context.invoice_billing_items', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('billing_context.invoice_tax_summaries', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('billing_context.invoice_payments', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('billing_context.accounting_entries', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('billing_context.accounting_entry_lines', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('report_context.analytics_data', 'ses_finance_role', '{SELECT}', NULL),
    ('report_context.kpi_definitions', 'ses_finance_role', '{SELECT}', NULL),
    ('report_context.kpi_values', 'ses_finance_role', '{SELECT}', NULL),
    ('report_context.dashboards', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('report_context.dashboard_widgets', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('report_context.report_templates', 'ses_finance_role', '{SELECT}', NULL),
    ('report_context.generated_reports', 'ses_finance_role', '{SELECT,INSERT}', NULL),
    ('notification_context.notifications', 'ses_finance_role', '{SELECT}', NULL),
    ('notification_context.notification_deliveries', 'ses_finance_role', '{SELECT}', NULL),
    ('notification_context.notification_subscriptions', 'ses_finance_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    -- Engineers: their own rows; contracts without any price (our margin).
    ('engineer_context.engineers', 'ses_engineer_role', '{SELECT}', NULL),
    ('engineer_context.skill_assessments', 'ses_engineer_role', '{SELECT}', NULL),
    ('engineer_context.certifications', 'ses_engineer_role', '{SELECT}', NULL),
    ('engineer_context.availability_periods', 'ses_engineer_role', '{SELECT}', NULL),
    ('contract_context.contracts', 'ses_engineer_role', '{SELECT}',
     '{id,contract_number,contract_type,contract_side,project_id,engineer_id,customer_id,status,start_date,end_date,auto_renewal,effort_ratio,settlement_method,lower_hours,upper_hours,time_unit_minutes,closing_day,signed_at,terminated_at,created_at,updated_at,deleted_at,version}'),
    ('timesheet_context.timesheets', 'ses_engineer_role', '{SELECT}', NULL),
    ('timesheet_context.timesheets', 'ses_engineer_role', '{UPDATE}',
     '{status,work_summary,report_file_uri,submitted_at,version}'),
    ('timesheet_context.daily_attendances', 'ses_engineer_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    ('timesheet_context.timesheet_approval_steps', 'ses_engineer_role', '{SELECT}', NULL),
    ('timesheet_context.timesheet_adjustments', 'ses_engineer_role', '{SELECT}', NULL),
    ('notification_context.notifications', 'ses_engineer_role', '{SELECT}', NULL),
    ('notification_context.notification_deliveries', 'ses_engineer_role', '{SELECT}', NULL),
    ('notification_context.notification_subscriptions', 'ses_engineer_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL),
    -- Customers: their projects, contracts with them, their timesheets and
    -- invoices; of engineers, name and skills only.
    ('project_context.projects', 'ses_customer_role', '{SELECT}', NULL),
    ('project_context.project_requirements', 'ses_customer_role', '{SELECT}', NULL),
    ('project_context.project_phases', 'ses_customer_role', '{SELECT}', NULL),
    ('project_context.project_milestones', 'ses_customer_role', '{SELECT}', NULL),
    ('engineer_context.engineers', 'ses_customer_role', '{SELECT}',
     '{id,last_name,first_name,last_name_kana,first_name_kana,skills,years_of_experience}'),
    ('engineer_context.skill_assessments', 'ses_customer_role', '{SELECT}',
     '{id,engineer_id,skill_category,skill_name,skill_level,years_of_experience,last_used_on}'),
    ('contract_context.contracts', 'ses_customer_role', '{SELECT}', NULL),
    ('timesheet_context.timesheets', 'ses_customer_role', '{SELECT}', NULL),
    ('timesheet_context.timesheets', 'ses_customer_role', '{UPDATE}',
     '{status,client_approved_at,client_approved_by,rejected_at,rejection_reason,version}'),
    ('timesheet_context.daily_attendances', 'ses_customer_role', '{SELECT}', NULL),
    ('timesheet_context.timesheet_approval_steps', 'ses_customer_role', '{SELECT,INSERT}', NULL),
    ('billing_context.invoices', 'ses_customer_role', '{SELECT}', NULL),
    ('billing_context.invoice_billing_items', 'ses_customer_role', '{SELECT}', NULL),
    ('billing_context.invoice_tax_summaries', 'ses_customer_role', '{SELECT}', NULL),
    ('notification_context.notifications', 'ses_customer_role', '{SELECT}', NULL),
    ('notification_context.notification_deliveries', 'ses_customer_role', '{SELECT}', NULL),
    ('notification_context.notification_subscriptions', 'ses_customer_role', '{SELECT,INSERT,UPDATE,DELETE}', NULL)
) AS g (tbl, role_name, privileges, column_names)
CROSS JOIN LATERAL unnest(g.privileges::text[]) AS p (privilege);

-- Materialized views have no row-level security: admins and finance only.
-- The archive holds copies of every kind of SES row: admins only. (Checked
-- for presence: a context installed alone has neither.)
DO $read_models$
BEGIN
    IF to_regclass('report_context.monthly_revenue_stats') IS NOT NULL THEN
        REVOKE ALL ON report_context.integrated_dashboard_stats, report_context.monthly_revenue_stats
        FROM bbase_operator, bbase_readonly;
        GRANT SELECT ON report_context.integrated_dashboard_stats, report_context.monthly_revenue_stats
        TO ses_admin_role, ses_finance_role;
    END IF;
    IF to_regclass('ses_archive.archived_rows') IS NOT NULL THEN
        REVOKE ALL ON ses_archive.archived_rows FROM bbase_operator, bbase_readonly;
        REVOKE USAGE ON SCHEMA ses_archive FROM bbase_operator, bbase_readonly;
        GRANT USAGE ON SCHEMA ses_archive TO ses_admin_role;
        GRANT SELECT ON ses_archive.archived_rows TO ses_admin_role;
    END IF;
END
$read_models$;

DO $row_security$
DECLARE
    v_table regclass;
BEGIN
    FOR v_table IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')
        ORDER BY c.oid
    LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', v_table);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', v_table);
    END LOOP;
END
$row_security$;

-- Plain indexes under the uuid columns the policies filter on, where no plain
-- index leads with the column already. Named <table>_<column>_policy_idx.
DO $policy_indexes$
DECLARE
    v_col record;
    v_name text;
BEGIN
    FOR v_col IN
        SELECT split_part(x.tbl, '.', 1) AS schema_name, split_part(x.tbl, '.', 2) AS table_name, x.col
        FROM (
            VALUES
            ('project_context.projects', 'customer_id'),
            ('project_context.projects', 'project_manager_id'),
            ('project_context.projects', 'sales_manager_id'),
            ('project_context.project_requirements', 'project_id'),
            ('project_context.project_phases', 'project_id'),
            ('project_context.project_milestones', 'project_id'),
            ('engineer_context.skill_assessments', 'engineer_id'),
            ('engineer_context.certifications', 'engineer_id'),
            ('engineer_context.availability_periods', 'engineer_id'),
            ('matching_context.matching_requests', 'project_id'),
            ('matching_context.matching_candidates', 'matching_request_id'),
            ('matching_context.matching_results', 'project_id'),
            ('contract_context.contracts', 'project_id'),
            ('contract_context.contracts', 'engineer_id'),
            ('contract_context.contracts', 'customer_id'),
            ('contract_context.contract_signatures', 'contract_id'),
            ('contract_context.contract_amendments', 'contract_id'),
            ('timesheet_context.timesheets', 'project_id'),
            ('timesheet_context.timesheets', 'engineer_id'),
            ('timesheet_context.timesheets', 'customer_id'),
            ('timesheet_context.daily_attendances', 'engineer_id'),
            ('timesheet_context.daily_attendances', 'timesheet_id'),
            ('timesheet_context.timesheet_approval_steps', 'timesheet_id'),
            ('timesheet_context.timesheet_adjustments', 'timesheet_id'),
            ('billing_context.invoices', 'project_id'),
            ('billing_context.invoices', 'customer_id'),
            ('billing_context.invoice_billing_items', 'invoice_id'),
            ('billing_context.invoice_tax_summaries', 'invoice_id'),
            ('report_context.dashboards', 'owner_id'),
            ('report_context.dashboard_widgets', 'dashboard_id'),
            ('report_context.generated_reports', 'requested_by'),
            ('notification_context.notification_deliveries', 'recipient_user_id'),
            ('notification_context.notification_subscriptions', 'user_id')
        ) AS x (tbl, col)
        WHERE to_regclass(x.tbl) IS NOT NULL AND NOT EXISTS (
            SELECT FROM pg_catalog.pg_index AS i
            INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass(x.tbl) AND i.indpred IS NULL AND a.attname = x.col
        )
    LOOP
        v_name := left(v_col.table_name || '_' || v_col.col, 52) || '_policy_idx';
        EXECUTE format('CREATE INDEX %I ON %I.%I (%I)', v_name, v_col.schema_name, v_col.table_name, v_col.col);
        EXECUTE format('COMMENT ON INDEX %I.%I IS %L', v_col.schema_name, v_name,
                       'Plain index under a column the row-level security policies filter on (migration 0180).');
    END LOOP;
END
$policy_indexes$;
