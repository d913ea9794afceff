-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- requires: sql/functions/timesheet_context/find_timesheet_target.sql
-- Why: the customer confirms the month (客先承認) when the contract's
-- client_approval_gate lets them: after submission (AFTER_SUBMISSION,
-- ANY_TIME: -> CLIENT_APPROVED, we approve next) or after our approval
-- (AFTER_INTERNAL_APPROVAL: INTERNALLY_APPROVED -> APPROVED); never with NONE.
-- The target comes from the state machine (find_timesheet_target); a call
-- after the customer's approval answers that nothing changed.
-- SECURITY INVOKER: row-level security and the column grants of the caller
-- decide which timesheets they may move; the transition trigger decides
-- which moves exist.
CREATE OR REPLACE FUNCTION timesheet_context.approve_timesheet_as_customer(p_timesheet_id uuid, p_expected_version integer)
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
    WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL AND t.client_approved_at IS NOT NULL
      AND t.status NOT IN ('DRAFT', 'SUBMITTED', 'REJECTED', 'INTERNALLY_APPROVED');
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version,
        coalesce(v_done, timesheet_context.find_timesheet_target(p_timesheet_id, 'CLIENT_APPROVE', 'CLIENT_APPROVED')));
END
$$;

COMMENT ON FUNCTION timesheet_context.approve_timesheet_as_customer(uuid, integer) IS
'Customer: approve a timesheet of yours at the version you read, when the contract''s client_approval_gate allows: a SUBMITTED one (AFTER_SUBMISSION, ANY_TIME: -> CLIENT_APPROVED) or one we approved (AFTER_INTERNAL_APPROVAL: INTERNALLY_APPROVED -> APPROVED); records who and when, emits TimesheetClientApproved. A second call changes nothing and says so. SE001 stale version, SE170 not awaiting your approval or the contract needs none (gate NONE), SE172 no such timesheet of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.approve_timesheet_as_customer(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.approve_timesheet_as_customer(uuid, integer) TO ses_customer_role, ses_admin_role;
