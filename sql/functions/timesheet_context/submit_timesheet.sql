-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- Why: the engineer's month-end submission (月締申請). The totals are recomputed from the attendance by the transition trigger, hours outside the settlement range raise an ALERT step, and TimesheetSubmitted is emitted in the same transaction.
-- SECURITY INVOKER: row-level security and the column grants of the caller
-- decide which timesheets they may move; the transition trigger decides
-- which moves exist.
CREATE OR REPLACE FUNCTION timesheet_context.submit_timesheet(p_timesheet_id uuid, p_expected_version integer)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version, 'SUBMITTED');
END
$$;

COMMENT ON FUNCTION timesheet_context.submit_timesheet(uuid, integer) IS
'Engineer: submit your DRAFT timesheet (月締申請) at the version you read. Totals (working days, minutes, billable/overtime/shortage hours) are recomputed from the attendance; billable hours outside the contract''s settlement range add an ALERT step; emits TimesheetSubmitted. Returns what happened; a second call changes nothing and says so. SE001 stale version, SE170 not a DRAFT, SE172 no such timesheet of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.submit_timesheet(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.submit_timesheet(uuid, integer) TO ses_engineer_role, ses_admin_role;
