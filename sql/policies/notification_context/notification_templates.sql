-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: Notification templates are configuration (channels hold secret
-- references): admins only.
-- The acting user is (SELECT ses_common.current_user_id()), read once per
-- statement; unset, empty or malformed matches no row. Policies that give a
-- role every row say USING (true): any qual there, even one reading the
-- setting, would keep PostgreSQL from using the query's own non-leakproof
-- conditions (jsonb @>, LIKE) as index conditions (docs/ses.md). Each policy
-- names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0180.

DROP POLICY IF EXISTS "Admins can do everything with notification templates" ON notification_context.notification_templates;
CREATE POLICY "Admins can do everything with notification templates" ON notification_context.notification_templates
AS PERMISSIVE FOR ALL TO ses_admin_role
USING (TRUE)
WITH CHECK (TRUE);

COMMENT ON POLICY "Admins can do everything with notification templates" ON notification_context.notification_templates IS 'ALL for ses_admin_role: ses_admin_role: every row, every operation.';
