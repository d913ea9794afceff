-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Contracts: admins all; project managers read, create and change those
-- of their projects (no delete grant); finance reads all; an engineer reads
-- their own contracts, both sides, but no price column (column grants: the
-- customer-side price against the partner-side price is our margin); a
-- customer reads the CUSTOMER-side contracts with them, never the PARTNER
-- side.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with contracts" ON contract_context.contracts;
CREATE POLICY "Admins can do everything with contracts" ON contract_context.contracts
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the contracts of their projects" ON contract_context.contracts;
CREATE POLICY "Project managers can read the contracts of their projects" ON contract_context.contracts
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]));

DROP POLICY IF EXISTS "Project managers can add contracts to their projects" ON contract_context.contracts;
CREATE POLICY "Project managers can add contracts to their projects" ON contract_context.contracts
AS PERMISSIVE FOR INSERT TO ses_project_manager_role
WITH CHECK (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]));

DROP POLICY IF EXISTS "Project managers can change the contracts of their projects" ON contract_context.contracts;
CREATE POLICY "Project managers can change the contracts of their projects" ON contract_context.contracts
AS PERMISSIVE FOR UPDATE TO ses_project_manager_role
USING (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]))
WITH CHECK (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]));

DROP POLICY IF EXISTS "Finance can read every contract" ON contract_context.contracts;
CREATE POLICY "Finance can read every contract" ON contract_context.contracts
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read their own contracts" ON contract_context.contracts;
CREATE POLICY "Engineers can read their own contracts" ON contract_context.contracts
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (engineer_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Customers can read the contracts with them" ON contract_context.contracts;
CREATE POLICY "Customers can read the contracts with them" ON contract_context.contracts
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (customer_id = (SELECT ses_common.current_user_id()) AND contract_side = 'CUSTOMER');

COMMENT ON POLICY "Admins can do everything with contracts" ON contract_context.contracts IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the contracts of their projects" ON contract_context.contracts IS 'SELECT for ses_project_manager_role: Rows of the projects the acting user manages or sells.';
COMMENT ON POLICY "Project managers can add contracts to their projects" ON contract_context.contracts IS 'INSERT for ses_project_manager_role: A new contract must belong to one of their projects.';
COMMENT ON POLICY "Project managers can change the contracts of their projects" ON contract_context.contracts IS 'UPDATE for ses_project_manager_role: Rows of their projects, and they stay so.';
COMMENT ON POLICY "Finance can read every contract" ON contract_context.contracts IS 'SELECT for ses_finance_role: Every contract.';
COMMENT ON POLICY "Engineers can read their own contracts" ON contract_context.contracts IS 'SELECT for ses_engineer_role: Rows whose engineer_id is the acting engineer; price columns are not granted.';
COMMENT ON POLICY "Customers can read the contracts with them" ON contract_context.contracts IS 'SELECT for ses_customer_role: CUSTOMER-side rows whose customer_id is the acting customer.';
