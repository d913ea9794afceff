-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Deliveries by recipient: admins all; every other role reads its own
-- (recipient_user_id).
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with notification deliveries" ON notification_context.notification_deliveries;
CREATE POLICY "Admins can do everything with notification deliveries" ON notification_context.notification_deliveries
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the deliveries addressed to them" ON notification_context.notification_deliveries;
CREATE POLICY "Project managers can read the deliveries addressed to them" ON notification_context.notification_deliveries
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING (recipient_user_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Finance can read the deliveries addressed to them" ON notification_context.notification_deliveries;
CREATE POLICY "Finance can read the deliveries addressed to them" ON notification_context.notification_deliveries
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING (recipient_user_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Engineers can read the deliveries addressed to them" ON notification_context.notification_deliveries;
CREATE POLICY "Engineers can read the deliveries addressed to them" ON notification_context.notification_deliveries
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING (recipient_user_id = (SELECT ses_common.current_user_id()));

DROP POLICY IF EXISTS "Customers can read the deliveries addressed to them" ON notification_context.notification_deliveries;
CREATE POLICY "Customers can read the deliveries addressed to them" ON notification_context.notification_deliveries
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING (recipient_user_id = (SELECT ses_common.current_user_id()));

COMMENT ON POLICY "Admins can do everything with notification deliveries" ON notification_context.notification_deliveries IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the deliveries addressed to them" ON notification_context.notification_deliveries IS 'SELECT for ses_project_manager_role: Rows whose recipient_user_id is the acting user.';
COMMENT ON POLICY "Finance can read the deliveries addressed to them" ON notification_context.notification_deliveries IS 'SELECT for ses_finance_role: Rows whose recipient_user_id is the acting user.';
COMMENT ON POLICY "Engineers can read the deliveries addressed to them" ON notification_context.notification_deliveries IS 'SELECT for ses_engineer_role: Rows whose recipient_user_id is the acting user.';
COMMENT ON POLICY "Customers can read the deliveries addressed to them" ON notification_context.notification_deliveries IS 'SELECT for ses_customer_role: Rows whose recipient_user_id is the acting user.';
