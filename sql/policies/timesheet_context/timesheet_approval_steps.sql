-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: The approval trail follows its timesheet: admins all; project managers
-- read and add steps on their projects' timesheets (as themselves); finance
-- reads all; an engineer reads the steps of their own timesheets; a customer
-- reads and adds steps (as themselves, as CUSTOMER) on their submitted
-- timesheets.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with timesheet approval steps" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Admins can do everything with timesheet approval steps" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the approval steps of their projects" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Project managers can read the approval steps of their projects" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

DROP POLICY IF EXISTS "Project managers can record approval steps on their projects" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Project managers can record approval steps on their projects" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR INSERT TO ses_project_manager_role
WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])) AND actor_id = (SELECT ses_common.current_user_id()) AND actor_type IN ('PROJECT_MANAGER', 'SALES'));

DROP POLICY IF EXISTS "Finance can read all approval steps" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Finance can read all approval steps" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read the approval steps of their timesheets" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Engineers can read the approval steps of their timesheets" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.engineer_id = (SELECT ses_common.current_user_id())));

DROP POLICY IF EXISTS "Customers can read the approval steps of their timesheets" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Customers can read the approval steps of their timesheets" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.customer_id = (SELECT ses_common.current_user_id()) AND t.status <> 'DRAFT'));

DROP POLICY IF EXISTS "Customers can record approval steps on their timesheets" ON timesheet_context.timesheet_approval_steps;
CREATE POLICY "Customers can record approval steps on their timesheets" ON timesheet_context.timesheet_approval_steps
AS PERMISSIVE FOR INSERT TO ses_customer_role
WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.customer_id = (SELECT ses_common.current_user_id()) AND t.status <> 'DRAFT') AND actor_id = (SELECT ses_common.current_user_id()) AND actor_type = 'CUSTOMER');

COMMENT ON POLICY "Admins can do everything with timesheet approval steps" ON timesheet_context.timesheet_approval_steps IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the approval steps of their projects" ON timesheet_context.timesheet_approval_steps IS 'SELECT for ses_project_manager_role: Steps of the timesheets of their projects.';
COMMENT ON POLICY "Project managers can record approval steps on their projects" ON timesheet_context.timesheet_approval_steps IS 'INSERT for ses_project_manager_role: A step on a timesheet of their projects, recorded as themselves.';
COMMENT ON POLICY "Finance can read all approval steps" ON timesheet_context.timesheet_approval_steps IS 'SELECT for ses_finance_role: Every step.';
COMMENT ON POLICY "Engineers can read the approval steps of their timesheets" ON timesheet_context.timesheet_approval_steps IS 'SELECT for ses_engineer_role: Steps of the acting engineer''s timesheets.';
COMMENT ON POLICY "Customers can read the approval steps of their timesheets" ON timesheet_context.timesheet_approval_steps IS 'SELECT for ses_customer_role: Steps of the timesheets the acting customer can read.';
COMMENT ON POLICY "Customers can record approval steps on their timesheets" ON timesheet_context.timesheet_approval_steps IS 'INSERT for ses_customer_role: A step on a timesheet they can read, recorded as themselves.';
