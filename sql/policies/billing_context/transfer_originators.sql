-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: the originator of the Zengin transfer file (our consignor code and the
-- account we pay from) is finance's to keep; admins see everything. Policies
-- that give a role every row say USING (true) (docs/ses.md, "Security"). Each
-- policy names one role; a role also needs the table privilege
-- (ses_common.context_grants / table_grants). Row-level security is enabled
-- and forced by migration 0185; a billing context installed alone (without
-- 0185) has no such table and gets no policies.

DO $policies$
BEGIN
    IF pg_catalog.to_regclass('billing_context.transfer_originators') IS NOT NULL THEN
        DROP POLICY IF EXISTS "Admins can do everything with transfer originators" ON billing_context.transfer_originators;
        CREATE POLICY "Admins can do everything with transfer originators" ON billing_context.transfer_originators
        AS PERMISSIVE FOR ALL TO ses_admin_role
        USING (TRUE)
        WITH CHECK (TRUE);

        DROP POLICY IF EXISTS "Finance can manage the transfer originators" ON billing_context.transfer_originators;
        CREATE POLICY "Finance can manage the transfer originators" ON billing_context.transfer_originators
        AS PERMISSIVE FOR ALL TO ses_finance_role
        USING (TRUE)
        WITH CHECK (TRUE);

        COMMENT ON POLICY "Admins can do everything with transfer originators" ON billing_context.transfer_originators IS 'ALL for ses_admin_role: every row, every operation.';
        COMMENT ON POLICY "Finance can manage the transfer originators" ON billing_context.transfer_originators IS 'ALL for ses_finance_role: the transfer file is finance''s: every row, every operation.';
    END IF;
END
$policies$;
