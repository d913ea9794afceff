-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: KPI values: admins all; project managers and finance read them. Not
-- engineers or customers.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with KPI values" ON report_context.kpi_values;
CREATE POLICY "Admins can do everything with KPI values" ON report_context.kpi_values
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read KPI values" ON report_context.kpi_values;
CREATE POLICY "Project managers can read KPI values" ON report_context.kpi_values
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (TRUE);

DROP POLICY IF EXISTS "Finance can read KPI values" ON report_context.kpi_values;
CREATE POLICY "Finance can read KPI values" ON report_context.kpi_values
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

COMMENT ON POLICY "Admins can do everything with KPI values" ON report_context.kpi_values IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read KPI values" ON report_context.kpi_values IS 'SELECT for ses_project_manager_role: Every row.';
COMMENT ON POLICY "Finance can read KPI values" ON report_context.kpi_values IS 'SELECT for ses_finance_role: Every row.';
