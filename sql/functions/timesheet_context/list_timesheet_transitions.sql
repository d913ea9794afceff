-- Why: the timesheet state machine as data, in one place (like
-- zengin.diff_transitions): tg_timesheets__enforce_transition allows exactly
-- these (from, to) pairs and tg_timesheets__record_transition logs each as
-- its action. REJECTED is passed through: a rejection is recorded as
-- REJECTED (with its reason) and the same statement returns the timesheet to
-- DRAFT (REOPEN), so the engineer can correct it. A function, not a table:
-- the list changes only with the code that follows it, and every role may
-- read it without a table of its own under row-level security.
CREATE OR REPLACE FUNCTION timesheet_context.list_timesheet_transitions()
RETURNS TABLE (from_status text, to_status text, action text, actor_type text)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
    VALUES
        ('DRAFT', 'SUBMITTED', 'SUBMIT', 'ENGINEER'),
        ('SUBMITTED', 'CLIENT_APPROVED', 'CLIENT_APPROVE', 'CUSTOMER'),
        ('SUBMITTED', 'APPROVED', 'APPROVE', 'PROJECT_MANAGER'),
        ('CLIENT_APPROVED', 'APPROVED', 'APPROVE', 'PROJECT_MANAGER'),
        ('APPROVED', 'CLOSED', 'CLOSE', 'FINANCE'),
        ('SUBMITTED', 'REJECTED', 'REJECT', 'CUSTOMER'),
        ('CLIENT_APPROVED', 'REJECTED', 'REJECT', 'PROJECT_MANAGER'),
        ('REJECTED', 'DRAFT', 'REOPEN', 'SYSTEM');
$$;

COMMENT ON FUNCTION timesheet_context.list_timesheet_transitions() IS
'The timesheet state machine: the only status changes timesheet_context.timesheets accepts (any other is SE170), with the approval step action each is logged as and who normally takes it. SUBMITTED -> APPROVED only for contracts whose client_approval_gate is NONE; REJECTED returns to DRAFT in the same statement.';

REVOKE EXECUTE ON FUNCTION timesheet_context.list_timesheet_transitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.list_timesheet_transitions()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
