-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Scoring weights: admins all; project managers read them (they explain a
-- score).
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with scoring criteria" ON matching_context.scoring_criteria;
CREATE POLICY "Admins can do everything with scoring criteria" ON matching_context.scoring_criteria
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the scoring criteria" ON matching_context.scoring_criteria;
CREATE POLICY "Project managers can read the scoring criteria" ON matching_context.scoring_criteria
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (TRUE);

COMMENT ON POLICY "Admins can do everything with scoring criteria" ON matching_context.scoring_criteria IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the scoring criteria" ON matching_context.scoring_criteria IS 'SELECT for ses_project_manager_role: Every row.';
