-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Matching results: admins all; project managers those of their projects.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed means no row, for every role (admins
-- and finance too: their all-rows policies still require an acting user). Each
-- policy names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with matching results" ON matching_context.matching_results;
CREATE POLICY "Admins can do everything with matching results" ON matching_context.matching_results
AS PERMISSIVE FOR ALL TO ses_admin_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL)
WITH CHECK ((SELECT ses_common.current_user_id()) IS NOT NULL);

DROP POLICY IF EXISTS "Project managers can manage the matching results of their projects" ON matching_context.matching_results;
CREATE POLICY "Project managers can manage the matching results of their projects" ON matching_context.matching_results
AS PERMISSIVE FOR ALL TO ses_project_manager_role
USING (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]))
WITH CHECK (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]));

COMMENT ON POLICY "Admins can do everything with matching results" ON matching_context.matching_results IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can manage the matching results of their projects" ON matching_context.matching_results IS 'ALL for ses_project_manager_role: Rows of the projects the acting user manages or sells.';
