-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Daily attendance follows its timesheet: admins all; project managers
-- read those of their projects; finance reads all; an engineer reads their own
-- and adds, changes or deletes them while the timesheet is a DRAFT; a customer
-- reads those of their submitted timesheets.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.
-- The engineer's write policy finds the row's timesheet by its whole key
-- (id, period_year, period_month: the foreign key's columns, the same
-- timesheet), correlated to the row: timesheets is partitioned by the period,
-- so the check reads one partition's primary key instead of every monthly
-- partition (one more each month) for the engineer's DRAFT timesheets.

DROP POLICY IF EXISTS "Admins can do everything with daily attendances" ON timesheet_context.daily_attendances;
CREATE POLICY "Admins can do everything with daily attendances" ON timesheet_context.daily_attendances
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the attendance of their projects" ON timesheet_context.daily_attendances;
CREATE POLICY "Project managers can read the attendance of their projects" ON timesheet_context.daily_attendances
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

DROP POLICY IF EXISTS "Finance can read all attendance" ON timesheet_context.daily_attendances;
CREATE POLICY "Finance can read all attendance" ON timesheet_context.daily_attendances
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read their own attendance" ON timesheet_context.daily_attendances;
CREATE POLICY "Engineers can read their own attendance" ON timesheet_context.daily_attendances
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (engineer_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Engineers can record their attendance while the timesheet is a draft" ON timesheet_context.daily_attendances;
CREATE POLICY "Engineers can record their attendance while the timesheet is a draft" ON timesheet_context.daily_attendances
AS PERMISSIVE FOR ALL TO ses_engineer_role
USING (engineer_id = (SELECT ses_common.current_user_id()) AND EXISTS (SELECT FROM timesheet_context.timesheets AS t WHERE t.id = daily_attendances.timesheet_id AND t.period_year = daily_attendances.period_year AND t.period_month = daily_attendances.period_month AND t.engineer_id = (SELECT ses_common.current_user_id()) AND t.status = 'DRAFT'))
WITH CHECK (engineer_id = (SELECT ses_common.current_user_id()) AND EXISTS (SELECT FROM timesheet_context.timesheets AS t WHERE t.id = daily_attendances.timesheet_id AND t.period_year = daily_attendances.period_year AND t.period_month = daily_attendances.period_month AND t.engineer_id = (SELECT ses_common.current_user_id()) AND t.status = 'DRAFT'));

DROP POLICY IF EXISTS "Customers can read the attendance of their submitted timesheets" ON timesheet_context.daily_attendances;
CREATE POLICY "Customers can read the attendance of their submitted timesheets" ON timesheet_context.daily_attendances
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.customer_id = (SELECT ses_common.current_user_id()) AND t.status <> 'DRAFT'));

COMMENT ON POLICY "Admins can do everything with daily attendances" ON timesheet_context.daily_attendances IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the attendance of their projects" ON timesheet_context.daily_attendances IS 'SELECT for ses_project_manager_role: Rows of the timesheets of the projects the acting user manages or sells.';
COMMENT ON POLICY "Finance can read all attendance" ON timesheet_context.daily_attendances IS 'SELECT for ses_finance_role: Every row.';
COMMENT ON POLICY "Engineers can read their own attendance" ON timesheet_context.daily_attendances IS 'SELECT for ses_engineer_role: Rows of the acting engineer.';
COMMENT ON POLICY "Engineers can record their attendance while the timesheet is a draft" ON timesheet_context.daily_attendances IS 'ALL for ses_engineer_role: Their rows of their DRAFT timesheets: insert, change, delete.';
COMMENT ON POLICY "Customers can read the attendance of their submitted timesheets" ON timesheet_context.daily_attendances IS 'SELECT for ses_customer_role: Rows of the timesheets the acting customer can read.';
