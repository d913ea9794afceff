-- Why: the workflows own the statuses of their rows (a contract becomes
-- ACTIVE only when both sides signed, a timesheet leaves DRAFT only by its
-- transitions). Loading history as it was (the seed, an import from the old
-- system, a restore) must still be able to write finished rows. That route is
-- named, not implied: the owner of the table (or a superuser) with the
-- setting ses_common.history_load on for the transaction
-- (SET LOCAL ses_common.history_load = on). Not ses_common.maintenance: the
-- machinery's SECURITY DEFINER triggers (reference checks, soft delete) turn
-- that on for the rest of any transaction that touches them, so it would open
-- the route to the owner's plain session. Any role may set a custom setting,
-- so it counts only together with the owner; an application role never
-- passes, and neither does the owner's plain session. Written here once; the
-- status guards read it.
CREATE OR REPLACE FUNCTION ses_common.is_history_load(p_table regclass)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
    SELECT coalesce(pg_catalog.current_setting('ses_common.history_load', true), '') = 'on'
        AND (
            coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user), false)
            OR pg_catalog.pg_has_role(current_user,
                (SELECT c.relowner FROM pg_catalog.pg_class AS c
                 WHERE c.oid = coalesce(pg_catalog.pg_partition_root(p_table), p_table)), 'USAGE')
        );
$$;

COMMENT ON FUNCTION ses_common.is_history_load(regclass) IS
'True when the current role is a superuser or (a member of) the owner of p_table AND ses_common.history_load is on for this transaction: a history load (seed, import, restore) that may insert rows in statuses their workflow owns. False for every SES application role.';

REVOKE EXECUTE ON FUNCTION ses_common.is_history_load(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.is_history_load(regclass)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
