-- Why: the workflow triggers guard what the application roles (admins,
-- project managers, engineers, customers, finance) write. The owner of the
-- timesheet tables and superusers load history as it was (the seed, restores,
-- migrations: timesheets already CLOSED with their attendance and minutes as
-- recorded back then). They could switch any trigger off anyway, so the
-- guards do not pretend to bind them; the rule "who is exempt" is written
-- here once.
CREATE OR REPLACE FUNCTION timesheet_context.writes_as_owner()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user), false)
        OR pg_catalog.pg_has_role(current_user,
            (SELECT c.relowner FROM pg_catalog.pg_class AS c
             WHERE c.oid = 'timesheet_context.timesheets'::pg_catalog.regclass), 'USAGE');
$$;

COMMENT ON FUNCTION timesheet_context.writes_as_owner() IS
'True when the current role is a superuser or (a member of) the owner of the timesheet tables: history loads (seed, restore) whose rows the workflow triggers take as given. False for every SES application role.';

REVOKE EXECUTE ON FUNCTION timesheet_context.writes_as_owner() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.writes_as_owner()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
