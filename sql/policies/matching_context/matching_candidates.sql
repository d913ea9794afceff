-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Matching candidates follow their request: admins all; project managers
-- those of the requests of their projects.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with matching candidates" ON matching_context.matching_candidates;
CREATE POLICY "Admins can do everything with matching candidates" ON matching_context.matching_candidates
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can manage the matching candidates of their projects" ON matching_context.matching_candidates;
CREATE POLICY "Project managers can manage the matching candidates of their projects" ON matching_context.matching_candidates
AS PERMISSIVE FOR ALL TO ses_project_manager_role
USING (matching_request_id IN (SELECT r.id FROM matching_context.matching_requests AS r WHERE r.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])))
WITH CHECK (matching_request_id IN (SELECT r.id FROM matching_context.matching_requests AS r WHERE r.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

COMMENT ON POLICY "Admins can do everything with matching candidates" ON matching_context.matching_candidates IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can manage the matching candidates of their projects" ON matching_context.matching_candidates IS 'ALL for ses_project_manager_role: Candidates of the matching requests of the projects the acting user manages or sells.';
