-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- requires: sql/functions/timesheet_context/find_timesheet_target.sql
-- Why: our internal approval (社内承認) by the project manager or sales
-- manager of the project, where the contract's client_approval_gate puts it:
-- after the customer's (AFTER_SUBMISSION, ANY_TIME: CLIENT_APPROVED ->
-- APPROVED), before it (AFTER_INTERNAL_APPROVAL: SUBMITTED ->
-- INTERNALLY_APPROVED, the customer approves next) or alone (NONE: SUBMITTED
-- -> APPROVED); only once every ALERT is acknowledged. The target comes from
-- the state machine (find_timesheet_target); a call after our approval
-- answers that nothing changed.
-- SECURITY INVOKER: row-level security and the column grants of the caller
-- decide which timesheets they may move; the transition trigger decides
-- which moves exist.
CREATE OR REPLACE FUNCTION timesheet_context.approve_timesheet_internally(p_timesheet_id uuid, p_expected_version integer)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_done text;
BEGIN
    SELECT t.status INTO v_done
    FROM timesheet_context.timesheets AS t
    WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL AND t.approved_at IS NOT NULL
      AND t.status IN ('INTERNALLY_APPROVED', 'APPROVED', 'CLOSED');
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version,
        coalesce(v_done, timesheet_context.find_timesheet_target(p_timesheet_id, 'APPROVE', 'APPROVED')));
END
$$;

COMMENT ON FUNCTION timesheet_context.approve_timesheet_internally(uuid, integer) IS
'Project manager: approve a timesheet of your project internally at the version you read, where the contract''s client_approval_gate puts it: after CLIENT_APPROVED (AFTER_SUBMISSION, ANY_TIME: -> APPROVED), from SUBMITTED before the customer (AFTER_INTERNAL_APPROVAL: -> INTERNALLY_APPROVED) or without one (NONE: -> APPROVED). Refused with SE173 while an ALERT (hours outside the settlement range) is unacknowledged: call acknowledge_timesheet_alert first. Emits TimesheetApproved. A second call changes nothing and says so. SE001 stale version, SE170 illegal transition (e.g. before the customer''s approval), SE172 no such timesheet of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.approve_timesheet_internally(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.approve_timesheet_internally(uuid, integer) TO ses_project_manager_role, ses_admin_role;
