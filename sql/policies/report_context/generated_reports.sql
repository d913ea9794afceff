-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Generated reports by requester: admins all; project managers and
-- finance read and request their own (requested_by).
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with generated reports" ON report_context.generated_reports;
CREATE POLICY "Admins can do everything with generated reports" ON report_context.generated_reports
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the reports they requested" ON report_context.generated_reports;
CREATE POLICY "Project managers can read the reports they requested" ON report_context.generated_reports
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (requested_by = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Project managers can request reports for themselves" ON report_context.generated_reports;
CREATE POLICY "Project managers can request reports for themselves" ON report_context.generated_reports
AS PERMISSIVE FOR INSERT TO ses_project_manager_role
WITH CHECK (requested_by = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Finance can read the reports they requested" ON report_context.generated_reports;
CREATE POLICY "Finance can read the reports they requested" ON report_context.generated_reports
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (requested_by = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Finance can request reports for themselves" ON report_context.generated_reports;
CREATE POLICY "Finance can request reports for themselves" ON report_context.generated_reports
AS PERMISSIVE FOR INSERT TO ses_finance_role
WITH CHECK (requested_by = (SELECT ses_common.current_user_id()));

COMMENT ON POLICY "Admins can do everything with generated reports" ON report_context.generated_reports IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the reports they requested" ON report_context.generated_reports IS 'SELECT for ses_project_manager_role: Rows requested by the acting user.';
COMMENT ON POLICY "Project managers can request reports for themselves" ON report_context.generated_reports IS 'INSERT for ses_project_manager_role: A new request must be theirs.';
COMMENT ON POLICY "Finance can read the reports they requested" ON report_context.generated_reports IS 'SELECT for ses_finance_role: Rows requested by the acting user.';
COMMENT ON POLICY "Finance can request reports for themselves" ON report_context.generated_reports IS 'INSERT for ses_finance_role: A new request must be theirs.';
