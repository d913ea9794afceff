-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Projects: admins all; project managers the projects they manage or sell
-- (project_manager_id / sales_manager_id), which they may also create, change
-- and delete; finance reads all (invoicing); customers read their own
-- (customer_id). Engineers read none.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with projects" ON project_context.projects;
CREATE POLICY "Admins can do everything with projects" ON project_context.projects
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can manage the projects they manage or sell" ON project_context.projects;
CREATE POLICY "Project managers can manage the projects they manage or sell" ON project_context.projects
AS PERMISSIVE FOR ALL TO ses_project_manager_role
USING (project_manager_id = (SELECT ses_common.current_user_id()) OR sales_manager_id = (SELECT ses_common.current_user_id()))
WITH CHECK (project_manager_id = (SELECT ses_common.current_user_id()) OR sales_manager_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Finance can read every project" ON project_context.projects;
CREATE POLICY "Finance can read every project" ON project_context.projects
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Customers can read their projects" ON project_context.projects;
CREATE POLICY "Customers can read their projects" ON project_context.projects
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (customer_id = (SELECT ses_common.current_user_id()));

COMMENT ON POLICY "Admins can do everything with projects" ON project_context.projects IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can manage the projects they manage or sell" ON project_context.projects IS 'ALL for ses_project_manager_role: Rows whose project_manager_id or sales_manager_id is the acting user; a new or changed row must stay theirs.';
COMMENT ON POLICY "Finance can read every project" ON project_context.projects IS 'SELECT for ses_finance_role: Finance reads every project to invoice it.';
COMMENT ON POLICY "Customers can read their projects" ON project_context.projects IS 'SELECT for ses_customer_role: Rows whose customer_id is the acting customer.';
