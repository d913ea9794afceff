-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Timesheets: admins all; project managers read those of their projects
-- and approve or reject them once submitted (status columns only, by grant);
-- finance reads all; an engineer reads their own and edits or submits them
-- while DRAFT; a customer reads theirs once submitted and approves or rejects
-- them while SUBMITTED (status columns only, by grant).
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with timesheets" ON timesheet_context.timesheets;
CREATE POLICY "Admins can do everything with timesheets" ON timesheet_context.timesheets
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the timesheets of their projects" ON timesheet_context.timesheets;
CREATE POLICY "Project managers can read the timesheets of their projects" ON timesheet_context.timesheets
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]));

DROP POLICY IF EXISTS "Project managers can approve the timesheets of their projects" ON timesheet_context.timesheets;
CREATE POLICY "Project managers can approve the timesheets of their projects" ON timesheet_context.timesheets
AS PERMISSIVE FOR UPDATE TO ses_project_manager_role
USING (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]) AND status IN ('SUBMITTED', 'CLIENT_APPROVED'))
WITH CHECK (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]) AND status IN ('SUBMITTED', 'CLIENT_APPROVED', 'INTERNALLY_APPROVED', 'APPROVED', 'REJECTED'));

DROP POLICY IF EXISTS "Finance can read every timesheet" ON timesheet_context.timesheets;
CREATE POLICY "Finance can read every timesheet" ON timesheet_context.timesheets
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read their own timesheets" ON timesheet_context.timesheets;
CREATE POLICY "Engineers can read their own timesheets" ON timesheet_context.timesheets
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (engineer_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Engineers can edit their own timesheets while they are drafts" ON timesheet_context.timesheets;
CREATE POLICY "Engineers can edit their own timesheets while they are drafts" ON timesheet_context.timesheets
AS PERMISSIVE FOR UPDATE TO ses_engineer_role
USING (engineer_id = (SELECT ses_common.current_user_id()) AND status = 'DRAFT')
WITH CHECK (engineer_id = (SELECT ses_common.current_user_id()) AND status IN ('DRAFT', 'SUBMITTED'));

DROP POLICY IF EXISTS "Customers can read their submitted timesheets" ON timesheet_context.timesheets;
CREATE POLICY "Customers can read their submitted timesheets" ON timesheet_context.timesheets
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (customer_id = (SELECT ses_common.current_user_id()) AND status <> 'DRAFT');

DROP POLICY IF EXISTS "Customers can approve their submitted timesheets" ON timesheet_context.timesheets;
CREATE POLICY "Customers can approve their submitted timesheets" ON timesheet_context.timesheets
AS PERMISSIVE FOR UPDATE TO ses_customer_role
USING (customer_id = (SELECT ses_common.current_user_id()) AND status IN ('SUBMITTED', 'INTERNALLY_APPROVED'))
WITH CHECK (customer_id = (SELECT ses_common.current_user_id()) AND status IN ('SUBMITTED', 'CLIENT_APPROVED', 'APPROVED', 'REJECTED'));

COMMENT ON POLICY "Admins can do everything with timesheets" ON timesheet_context.timesheets IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the timesheets of their projects" ON timesheet_context.timesheets IS 'SELECT for ses_project_manager_role: Rows of the projects the acting user manages or sells.';
COMMENT ON POLICY "Project managers can approve the timesheets of their projects" ON timesheet_context.timesheets IS 'UPDATE for ses_project_manager_role: Submitted or client-approved rows of their projects, which they may approve (APPROVED, or INTERNALLY_APPROVED before the customer) or reject.';
COMMENT ON POLICY "Finance can read every timesheet" ON timesheet_context.timesheets IS 'SELECT for ses_finance_role: Every timesheet.';
COMMENT ON POLICY "Engineers can read their own timesheets" ON timesheet_context.timesheets IS 'SELECT for ses_engineer_role: Rows of the acting engineer.';
COMMENT ON POLICY "Engineers can edit their own timesheets while they are drafts" ON timesheet_context.timesheets IS 'UPDATE for ses_engineer_role: Their DRAFT rows, which they may keep as drafts or submit.';
COMMENT ON POLICY "Customers can read their submitted timesheets" ON timesheet_context.timesheets IS 'SELECT for ses_customer_role: Rows of the acting customer past DRAFT.';
COMMENT ON POLICY "Customers can approve their submitted timesheets" ON timesheet_context.timesheets IS 'UPDATE for ses_customer_role: Their SUBMITTED rows, which they may approve (CLIENT_APPROVED) or reject, and their INTERNALLY_APPROVED rows (client_approval_gate AFTER_INTERNAL_APPROVAL), which their approval makes APPROVED (the transition trigger refuses them our internal approval).';
