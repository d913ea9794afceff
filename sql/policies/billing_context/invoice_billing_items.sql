-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Invoice billing items follow their invoice: admins and finance all; a
-- customer reads those of the invoices addressed to them.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with invoice billing items" ON billing_context.invoice_billing_items;
CREATE POLICY "Admins can do everything with invoice billing items" ON billing_context.invoice_billing_items
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Finance can manage all invoice billing items" ON billing_context.invoice_billing_items;
CREATE POLICY "Finance can manage all invoice billing items" ON billing_context.invoice_billing_items
AS PERMISSIVE FOR ALL TO ses_finance_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Customers can read the billing items of their invoices" ON billing_context.invoice_billing_items;
CREATE POLICY "Customers can read the billing items of their invoices" ON billing_context.invoice_billing_items
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (invoice_id IN (SELECT i.id FROM billing_context.invoices AS i WHERE i.customer_id = (SELECT ses_common.current_user_id()) AND i.direction = 'RECEIVABLE' AND i.status <> 'DRAFT'));

COMMENT ON POLICY "Admins can do everything with invoice billing items" ON billing_context.invoice_billing_items IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Finance can manage all invoice billing items" ON billing_context.invoice_billing_items IS 'ALL for ses_finance_role: Billing is finance''s: every row, every operation.';
COMMENT ON POLICY "Customers can read the billing items of their invoices" ON billing_context.invoice_billing_items IS 'SELECT for ses_customer_role: Rows of the invoices the acting customer can read.';
