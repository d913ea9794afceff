-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: The journal: admins and finance only.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with accounting entries" ON billing_context.accounting_entries;
CREATE POLICY "Admins can do everything with accounting entries" ON billing_context.accounting_entries
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Finance can manage all accounting entries" ON billing_context.accounting_entries;
CREATE POLICY "Finance can manage all accounting entries" ON billing_context.accounting_entries
AS PERMISSIVE FOR ALL TO ses_finance_role
USING (TRUE)
WITH CHECK (TRUE);

COMMENT ON POLICY "Admins can do everything with accounting entries" ON billing_context.accounting_entries IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Finance can manage all accounting entries" ON billing_context.accounting_entries IS 'ALL for ses_finance_role: Billing is finance''s: every row, every operation.';
