-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- Why: our internal approval (社内承認) by the project manager or sales manager of the project, after the customer's approval (or straight from SUBMITTED when the contract's client_approval_gate is NONE), and only once every ALERT is acknowledged.
-- SECURITY INVOKER: row-level security and the column grants of the caller
-- decide which timesheets they may move; the transition trigger decides
-- which moves exist.
CREATE OR REPLACE FUNCTION timesheet_context.approve_timesheet_internally(p_timesheet_id uuid, p_expected_version integer)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version, 'APPROVED');
END
$$;

COMMENT ON FUNCTION timesheet_context.approve_timesheet_internally(uuid, integer) IS
'Project manager: approve a timesheet of your project internally (-> APPROVED) at the version you read: after CLIENT_APPROVED, or from SUBMITTED when the contract''s client_approval_gate is NONE. Refused with SE173 while an ALERT (hours outside the settlement range) is unacknowledged: call acknowledge_timesheet_alert first. Emits TimesheetApproved. A second call changes nothing and says so. SE001 stale version, SE170 illegal transition, SE172 no such timesheet of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.approve_timesheet_internally(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.approve_timesheet_internally(uuid, integer) TO ses_project_manager_role, ses_admin_role;
