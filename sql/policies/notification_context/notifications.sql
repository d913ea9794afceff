-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Notifications by recipient: admins all; every other role reads those
-- whose recipient_users holds the acting user (GIN index on recipient_users).
-- An unset acting user matches nothing, even a malformed [null] recipient
-- list.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with notifications" ON notification_context.notifications;
CREATE POLICY "Admins can do everything with notifications" ON notification_context.notifications
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

DROP POLICY IF EXISTS "Project managers can read the notifications addressed to them" ON notification_context.notifications;
CREATE POLICY "Project managers can read the notifications addressed to them" ON notification_context.notifications
AS PERMISSIVE FOR SELECT TO ses_project_manager_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL AND recipient_users @> pg_catalog.jsonb_build_array((SELECT ses_common.current_user_id())::text));

DROP POLICY IF EXISTS "Finance can read the notifications addressed to them" ON notification_context.notifications;
CREATE POLICY "Finance can read the notifications addressed to them" ON notification_context.notifications
AS PERMISSIVE FOR SELECT TO ses_finance_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL AND recipient_users @> pg_catalog.jsonb_build_array((SELECT ses_common.current_user_id())::text));

DROP POLICY IF EXISTS "Engineers can read the notifications addressed to them" ON notification_context.notifications;
CREATE POLICY "Engineers can read the notifications addressed to them" ON notification_context.notifications
AS PERMISSIVE FOR SELECT TO ses_engineer_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL AND recipient_users @> pg_catalog.jsonb_build_array((SELECT ses_common.current_user_id())::text));

DROP POLICY IF EXISTS "Customers can read the notifications addressed to them" ON notification_context.notifications;
CREATE POLICY "Customers can read the notifications addressed to them" ON notification_context.notifications
AS PERMISSIVE FOR SELECT TO ses_customer_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL AND recipient_users @> pg_catalog.jsonb_build_array((SELECT ses_common.current_user_id())::text));

COMMENT ON POLICY "Admins can do everything with notifications" ON notification_context.notifications IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
COMMENT ON POLICY "Project managers can read the notifications addressed to them" ON notification_context.notifications IS 'SELECT for ses_project_manager_role: Rows whose recipient_users holds the acting user.';
COMMENT ON POLICY "Finance can read the notifications addressed to them" ON notification_context.notifications IS 'SELECT for ses_finance_role: Rows whose recipient_users holds the acting user.';
COMMENT ON POLICY "Engineers can read the notifications addressed to them" ON notification_context.notifications IS 'SELECT for ses_engineer_role: Rows whose recipient_users holds the acting user.';
COMMENT ON POLICY "Customers can read the notifications addressed to them" ON notification_context.notifications IS 'SELECT for ses_customer_role: Rows whose recipient_users holds the acting user.';
