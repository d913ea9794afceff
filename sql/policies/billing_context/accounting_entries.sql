-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: The journal: admins and finance only.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed means no row, for every role (admins
-- and finance too: their all-rows policies still require an acting user). Each
-- policy names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with accounting entries" ON billing_context.accounting_entries;
CREATE POLICY "Admins can do everything with accounting entries" ON billing_context.accounting_entries
AS PERMISSIVE FOR ALL TO ses_admin_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL)
WITH CHECK ((SELECT ses_common.current_user_id()) IS NOT NULL);

DROP POLICY IF EXISTS "Finance can manage all accounting entries" ON billing_context.accounting_entries;
CREATE POLICY "Finance can manage all accounting entries" ON billing_context.accounting_entries
AS PERMISSIVE FOR ALL TO ses_finance_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL)
WITH CHECK ((SELECT ses_common.current_user_id()) IS NOT NULL);

COMMENT ON POLICY "Admins can do everything with accounting entries" ON billing_context.accounting_entries IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Finance can manage all accounting entries" ON billing_context.accounting_entries IS 'ALL for ses_finance_role: Billing is finance''s: every row, every operation.';
