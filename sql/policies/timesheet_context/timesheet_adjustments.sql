-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Adjustments follow their timesheet: admins all; project managers read
-- and decide (approve or reject, once, not their own request) those of
-- their projects; finance reads all; an engineer reads those of their
-- own timesheets.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with timesheet adjustments" ON timesheet_context.timesheet_adjustments;
CREATE POLICY "Admins can do everything with timesheet adjustments" ON timesheet_context.timesheet_adjustments
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the adjustments of their projects" ON timesheet_context.timesheet_adjustments;
CREATE POLICY "Project managers can read the adjustments of their projects" ON timesheet_context.timesheet_adjustments
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

DROP POLICY IF EXISTS "Project managers can decide the adjustments of their projects" ON timesheet_context.timesheet_adjustments;
CREATE POLICY "Project managers can decide the adjustments of their projects" ON timesheet_context.timesheet_adjustments
AS PERMISSIVE FOR UPDATE TO ses_project_manager_role
USING (
    status = 'PENDING'
    AND timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]))
)
WITH CHECK (
    status IN ('APPROVED', 'APPLIED', 'REJECTED')
    AND timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]))
);

DROP POLICY IF EXISTS "Finance can read all adjustments" ON timesheet_context.timesheet_adjustments;
CREATE POLICY "Finance can read all adjustments" ON timesheet_context.timesheet_adjustments
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read the adjustments of their timesheets" ON timesheet_context.timesheet_adjustments;
CREATE POLICY "Engineers can read the adjustments of their timesheets" ON timesheet_context.timesheet_adjustments
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets AS t WHERE t.engineer_id = (SELECT ses_common.current_user_id())));

COMMENT ON POLICY "Admins can do everything with timesheet adjustments" ON timesheet_context.timesheet_adjustments IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the adjustments of their projects" ON timesheet_context.timesheet_adjustments IS 'SELECT for ses_project_manager_role: Adjustments of the timesheets of their projects.';
COMMENT ON POLICY "Project managers can decide the adjustments of their projects" ON timesheet_context.timesheet_adjustments IS 'UPDATE for ses_project_manager_role: PENDING adjustments of the timesheets of their projects, which they may approve or reject (decision columns only, by grant; not their own request: tg_timesheet_adjustments__decide).';
COMMENT ON POLICY "Finance can read all adjustments" ON timesheet_context.timesheet_adjustments IS 'SELECT for ses_finance_role: Every row.';
COMMENT ON POLICY "Engineers can read the adjustments of their timesheets" ON timesheet_context.timesheet_adjustments IS 'SELECT for ses_engineer_role: Adjustments of the acting engineer''s timesheets.';
