-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Notification channels are configuration (channels hold secret
-- references): admins only.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed means no row, for every role (admins
-- and finance too: their all-rows policies still require an acting user). Each
-- policy names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with notification channels" ON notification_context.notification_channels;
CREATE POLICY "Admins can do everything with notification channels" ON notification_context.notification_channels
AS PERMISSIVE FOR ALL TO ses_admin_role
USING ((SELECT ses_common.current_user_id()) IS NOT NULL)
WITH CHECK ((SELECT ses_common.current_user_id()) IS NOT NULL);

COMMENT ON POLICY "Admins can do everything with notification channels" ON notification_context.notification_channels IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
