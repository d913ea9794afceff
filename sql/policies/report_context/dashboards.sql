-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Dashboards by owner: admins all; project managers and finance read
-- their own and PUBLIC ones and manage their own (owner_id). ROLE visibility
-- is left to admins for now.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with dashboards" ON report_context.dashboards;
CREATE POLICY "Admins can do everything with dashboards" ON report_context.dashboards
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read their own and public dashboards" ON report_context.dashboards;
CREATE POLICY "Project managers can read their own and public dashboards" ON report_context.dashboards
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (owner_id = (SELECT ses_common.current_user_id()) OR visibility = 'PUBLIC');

DROP POLICY IF EXISTS "Project managers can manage their own dashboards" ON report_context.dashboards;
CREATE POLICY "Project managers can manage their own dashboards" ON report_context.dashboards
AS PERMISSIVE FOR ALL TO ses_project_manager_role
USING (owner_id = (SELECT ses_common.current_user_id()))
WITH CHECK (owner_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Finance can read their own and public dashboards" ON report_context.dashboards;
CREATE POLICY "Finance can read their own and public dashboards" ON report_context.dashboards
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (owner_id = (SELECT ses_common.current_user_id()) OR visibility = 'PUBLIC');

DROP POLICY IF EXISTS "Finance can manage their own dashboards" ON report_context.dashboards;
CREATE POLICY "Finance can manage their own dashboards" ON report_context.dashboards
AS PERMISSIVE FOR ALL TO ses_finance_role
USING (owner_id = (SELECT ses_common.current_user_id()))
WITH CHECK (owner_id = (SELECT ses_common.current_user_id()));

COMMENT ON POLICY "Admins can do everything with dashboards" ON report_context.dashboards IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read their own and public dashboards" ON report_context.dashboards IS 'SELECT for ses_project_manager_role: Rows they own, and PUBLIC ones.';
COMMENT ON POLICY "Project managers can manage their own dashboards" ON report_context.dashboards IS 'ALL for ses_project_manager_role: Rows whose owner_id is the acting user.';
COMMENT ON POLICY "Finance can read their own and public dashboards" ON report_context.dashboards IS 'SELECT for ses_finance_role: Rows they own, and PUBLIC ones.';
COMMENT ON POLICY "Finance can manage their own dashboards" ON report_context.dashboards IS 'ALL for ses_finance_role: Rows whose owner_id is the acting user.';
