-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Widgets follow their dashboard: readable with the dashboard, changeable
-- by its owner.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with dashboard widgets" ON report_context.dashboard_widgets;
CREATE POLICY "Admins can do everything with dashboard widgets" ON report_context.dashboard_widgets
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the widgets of the dashboards they can read" ON report_context.dashboard_widgets;
CREATE POLICY "Project managers can read the widgets of the dashboards they can read" ON report_context.dashboard_widgets
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (dashboard_id IN (SELECT d.id FROM report_context.dashboards AS d WHERE d.owner_id = (SELECT ses_common.current_user_id()) OR d.visibility = 'PUBLIC'));

DROP POLICY IF EXISTS "Project managers can manage the widgets of their own dashboards" ON report_context.dashboard_widgets;
CREATE POLICY "Project managers can manage the widgets of their own dashboards" ON report_context.dashboard_widgets
AS PERMISSIVE FOR ALL TO ses_project_manager_role
USING (dashboard_id IN (SELECT d.id FROM report_context.dashboards AS d WHERE d.owner_id = (SELECT ses_common.current_user_id())))
WITH CHECK (dashboard_id IN (SELECT d.id FROM report_context.dashboards AS d WHERE d.owner_id = (SELECT ses_common.current_user_id())));

DROP POLICY IF EXISTS "Finance can read the widgets of the dashboards they can read" ON report_context.dashboard_widgets;
CREATE POLICY "Finance can read the widgets of the dashboards they can read" ON report_context.dashboard_widgets
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (dashboard_id IN (SELECT d.id FROM report_context.dashboards AS d WHERE d.owner_id = (SELECT ses_common.current_user_id()) OR d.visibility = 'PUBLIC'));

DROP POLICY IF EXISTS "Finance can manage the widgets of their own dashboards" ON report_context.dashboard_widgets;
CREATE POLICY "Finance can manage the widgets of their own dashboards" ON report_context.dashboard_widgets
AS PERMISSIVE FOR ALL TO ses_finance_role
USING (dashboard_id IN (SELECT d.id FROM report_context.dashboards AS d WHERE d.owner_id = (SELECT ses_common.current_user_id())))
WITH CHECK (dashboard_id IN (SELECT d.id FROM report_context.dashboards AS d WHERE d.owner_id = (SELECT ses_common.current_user_id())));

COMMENT ON POLICY "Admins can do everything with dashboard widgets" ON report_context.dashboard_widgets IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the widgets of the dashboards they can read" ON report_context.dashboard_widgets IS 'SELECT for ses_project_manager_role: Widgets of their own and PUBLIC dashboards.';
COMMENT ON POLICY "Project managers can manage the widgets of their own dashboards" ON report_context.dashboard_widgets IS 'ALL for ses_project_manager_role: Widgets of dashboards the acting user owns.';
COMMENT ON POLICY "Finance can read the widgets of the dashboards they can read" ON report_context.dashboard_widgets IS 'SELECT for ses_finance_role: Widgets of their own and PUBLIC dashboards.';
COMMENT ON POLICY "Finance can manage the widgets of their own dashboards" ON report_context.dashboard_widgets IS 'ALL for ses_finance_role: Widgets of dashboards the acting user owns.';
