-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- Why: the monthly close locks an APPROVED timesheet (later changes only as adjustments settled in the next open period).
-- SECURITY INVOKER: row-level security and the column grants of the caller
-- decide which timesheets they may move; the transition trigger decides
-- which moves exist.
CREATE OR REPLACE FUNCTION timesheet_context.close_timesheet(p_timesheet_id uuid, p_expected_version integer)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version, 'CLOSED');
END
$$;

COMMENT ON FUNCTION timesheet_context.close_timesheet(uuid, integer) IS
'Admin (monthly close): close an APPROVED timesheet (-> CLOSED) at the version you read; emits TimesheetClosed. A second call changes nothing and says so. SE001 stale version, SE170 not APPROVED, SE172 no such timesheet.';

REVOKE EXECUTE ON FUNCTION timesheet_context.close_timesheet(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.close_timesheet(uuid, integer) TO ses_admin_role;
