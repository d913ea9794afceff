-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/placed_engineer_ids.sql
-- Why: Engineers' rows hold personal data. Admins all; project managers and
-- finance read every engineer, but their column grants
-- (ses_common.table_grants) leave out e-mail, phone and notes: placement and
-- invoicing need no contact data; an engineer reads their own row (id); a
-- customer reads the engineers placed on their CUSTOMER-side contracts, and
-- only name and skills (column grants).
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with engineers" ON engineer_context.engineers;
CREATE POLICY "Admins can do everything with engineers" ON engineer_context.engineers
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read engineers for placement" ON engineer_context.engineers;
CREATE POLICY "Project managers can read engineers for placement" ON engineer_context.engineers
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (TRUE);

DROP POLICY IF EXISTS "Finance can read engineers for invoicing" ON engineer_context.engineers;
CREATE POLICY "Finance can read engineers for invoicing" ON engineer_context.engineers
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (TRUE);

DROP POLICY IF EXISTS "Engineers can read their own row" ON engineer_context.engineers;
CREATE POLICY "Engineers can read their own row" ON engineer_context.engineers
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Customers can read the engineers placed with them" ON engineer_context.engineers;
CREATE POLICY "Customers can read the engineers placed with them" ON engineer_context.engineers
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (id = ANY((SELECT ses_common.placed_engineer_ids())::uuid[]));

COMMENT ON POLICY "Admins can do everything with engineers" ON engineer_context.engineers IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read engineers for placement" ON engineer_context.engineers IS 'SELECT for ses_project_manager_role: Every engineer (matching searches them all); columns limited by grant.';
COMMENT ON POLICY "Finance can read engineers for invoicing" ON engineer_context.engineers IS 'SELECT for ses_finance_role: Every engineer; columns limited by grant.';
COMMENT ON POLICY "Engineers can read their own row" ON engineer_context.engineers IS 'SELECT for ses_engineer_role: The row whose id is the acting engineer.';
COMMENT ON POLICY "Customers can read the engineers placed with them" ON engineer_context.engineers IS 'SELECT for ses_customer_role: Engineers of the CUSTOMER-side contracts whose customer_id is the acting customer; name and skill columns only (grant).';
