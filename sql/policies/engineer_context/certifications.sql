-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Certifications: admins all; project managers read all (placement); an
-- engineer reads their own.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with certifications" ON engineer_context.certifications;
CREATE POLICY "Admins can do everything with certifications" ON engineer_context.certifications
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read certifications for placement" ON engineer_context.certifications;
CREATE POLICY "Project managers can read certifications for placement" ON engineer_context.certifications
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read their own certifications" ON engineer_context.certifications;
CREATE POLICY "Engineers can read their own certifications" ON engineer_context.certifications
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (engineer_id = (SELECT ses_common.current_user_id()));

COMMENT ON POLICY "Admins can do everything with certifications" ON engineer_context.certifications IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read certifications for placement" ON engineer_context.certifications IS 'SELECT for ses_project_manager_role: Every row.';
COMMENT ON POLICY "Engineers can read their own certifications" ON engineer_context.certifications IS 'SELECT for ses_engineer_role: Rows of the acting engineer.';
