-- requires: sql/functions/timesheet_context/list_timesheet_transitions.sql
-- requires: sql/functions/timesheet_context/read_client_approval_gate.sql
-- Why: "approve as the customer" and "approve internally" lead to different
-- statuses depending on the contract's client_approval_gate (CLIENT_APPROVED
-- or APPROVED for the customer; APPROVED or INTERNALLY_APPROVED for us). The
-- approval functions name the action, and the target is looked up in the
-- state machine (list_timesheet_transitions) for the timesheet's status and
-- gate, so the gate rule stays in one place. When the action leads nowhere
-- from there, p_fallback is returned and the transition trigger refuses it
-- with SE170 and its hint (or change_timesheet_status answers that nothing
-- changed when the timesheet already is there).
-- SECURITY INVOKER: reads the timesheet under the caller's row-level security
-- (none visible: the fallback, and change_timesheet_status says SE172).
CREATE OR REPLACE FUNCTION timesheet_context.find_timesheet_target(
    p_timesheet_id uuid,
    p_action text,
    p_fallback text
) RETURNS text
LANGUAGE sql
VOLATILE
SET search_path = ''
AS $$
    SELECT coalesce((
        SELECT tr.to_status
        FROM timesheet_context.timesheets AS t
        CROSS JOIN timesheet_context.list_timesheet_transitions() AS tr
        WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL
          AND tr.from_status = t.status AND tr.action = p_action
          AND timesheet_context.read_client_approval_gate(t.contract_id, t.period_year, t.period_month)
              = ANY(tr.client_approval_gates)
        LIMIT 1
    ), p_fallback);
$$;

COMMENT ON FUNCTION timesheet_context.find_timesheet_target(uuid, text, text) IS
'The status action p_action (CLIENT_APPROVE, APPROVE, ...) takes timesheet p_timesheet_id to from its current status under its contract''s client_approval_gate (timesheet_context.list_timesheet_transitions()); p_fallback when there is none.';

REVOKE EXECUTE ON FUNCTION timesheet_context.find_timesheet_target(uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.find_timesheet_target(uuid, text, text)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
