-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- Why: the customer confirms the submitted month (客先承認); row-level security limits a customer to their own timesheets.
-- SECURITY INVOKER: row-level security and the column grants of the caller
-- decide which timesheets they may move; the transition trigger decides
-- which moves exist.
CREATE OR REPLACE FUNCTION timesheet_context.approve_timesheet_as_customer(p_timesheet_id uuid, p_expected_version integer)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version, 'CLIENT_APPROVED');
END
$$;

COMMENT ON FUNCTION timesheet_context.approve_timesheet_as_customer(uuid, integer) IS
'Customer: approve a SUBMITTED timesheet of yours (-> CLIENT_APPROVED) at the version you read; records who and when, emits TimesheetClientApproved. A second call changes nothing and says so. SE001 stale version, SE170 not SUBMITTED or the contract needs no customer approval, SE172 no such timesheet of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.approve_timesheet_as_customer(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.approve_timesheet_as_customer(uuid, integer) TO ses_customer_role, ses_admin_role;
