-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/managed_project_ids.sql
-- Why: Invoices: admins and finance all; project managers read those of their
-- projects; a customer reads the RECEIVABLE invoices addressed to them once
-- issued (past DRAFT), never PAYABLE ones (the partner side).
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with invoices" ON billing_context.invoices;
CREATE POLICY "Admins can do everything with invoices" ON billing_context.invoices
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Finance can manage all invoices" ON billing_context.invoices;
CREATE POLICY "Finance can manage all invoices" ON billing_context.invoices
AS PERMISSIVE FOR ALL TO ses_finance_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the invoices of their projects" ON billing_context.invoices;
CREATE POLICY "Project managers can read the invoices of their projects" ON billing_context.invoices
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]));

DROP POLICY IF EXISTS "Customers can read the invoices addressed to them" ON billing_context.invoices;
CREATE POLICY "Customers can read the invoices addressed to them" ON billing_context.invoices
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (customer_id = (SELECT ses_common.current_user_id()) AND direction = 'RECEIVABLE' AND status <> 'DRAFT');

COMMENT ON POLICY "Admins can do everything with invoices" ON billing_context.invoices IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Finance can manage all invoices" ON billing_context.invoices IS 'ALL for ses_finance_role: Billing is finance''s: every row, every operation.';
COMMENT ON POLICY "Project managers can read the invoices of their projects" ON billing_context.invoices IS 'SELECT for ses_project_manager_role: Rows of the projects the acting user manages or sells.';
COMMENT ON POLICY "Customers can read the invoices addressed to them" ON billing_context.invoices IS 'SELECT for ses_customer_role: RECEIVABLE rows past DRAFT whose customer_id is the acting customer.';
