-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Contract amendments follow their contract: admins all; project managers
-- read, add and change those of the contracts of their projects; finance reads
-- all.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with contract amendments" ON contract_context.contract_amendments;
CREATE POLICY "Admins can do everything with contract amendments" ON contract_context.contract_amendments
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the contract amendments of their projects" ON contract_context.contract_amendments;
CREATE POLICY "Project managers can read the contract amendments of their projects" ON contract_context.contract_amendments
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (contract_id IN (SELECT c.id FROM contract_context.contracts AS c WHERE c.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

DROP POLICY IF EXISTS "Project managers can add contract amendments to their projects" ON contract_context.contract_amendments;
CREATE POLICY "Project managers can add contract amendments to their projects" ON contract_context.contract_amendments
AS PERMISSIVE FOR INSERT TO ses_project_manager_role
WITH CHECK (contract_id IN (SELECT c.id FROM contract_context.contracts AS c WHERE c.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

DROP POLICY IF EXISTS "Project managers can change the contract amendments of their projects" ON contract_context.contract_amendments;
CREATE POLICY "Project managers can change the contract amendments of their projects" ON contract_context.contract_amendments
AS PERMISSIVE FOR UPDATE TO ses_project_manager_role
USING (contract_id IN (SELECT c.id FROM contract_context.contracts AS c WHERE c.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])))
WITH CHECK (contract_id IN (SELECT c.id FROM contract_context.contracts AS c WHERE c.project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[])));

DROP POLICY IF EXISTS "Finance can read all contract amendments" ON contract_context.contract_amendments;
CREATE POLICY "Finance can read all contract amendments" ON contract_context.contract_amendments
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

COMMENT ON POLICY "Admins can do everything with contract amendments" ON contract_context.contract_amendments IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the contract amendments of their projects" ON contract_context.contract_amendments IS 'SELECT for ses_project_manager_role: Rows of the contracts of the projects the acting user manages or sells.';
COMMENT ON POLICY "Project managers can add contract amendments to their projects" ON contract_context.contract_amendments IS 'INSERT for ses_project_manager_role: A new row must belong to a contract of their projects.';
COMMENT ON POLICY "Project managers can change the contract amendments of their projects" ON contract_context.contract_amendments IS 'UPDATE for ses_project_manager_role: Rows of their projects, and they stay so.';
COMMENT ON POLICY "Finance can read all contract amendments" ON contract_context.contract_amendments IS 'SELECT for ses_finance_role: Every row.';
