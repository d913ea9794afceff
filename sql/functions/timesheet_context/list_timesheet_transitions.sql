-- Why: the timesheet state machine as data, in one place (like
-- zengin.diff_transitions), client approval gate included: a transition
-- exists only for the contracts whose client_approval_gate (as amended for
-- the timesheet's month) is in its client_approval_gates.
-- tg_timesheets__enforce_transition allows exactly these (from, to, gate)
-- triples, tg_timesheets__record_transition logs each as its action, and the
-- approval functions find their target status here (find_timesheet_target).
-- The gates (ses-domain-rules.md section 6, IEYASU's three modes):
-- * AFTER_SUBMISSION and ANY_TIME: the customer approves the submitted month,
--   then we do (SUBMITTED -> CLIENT_APPROVED -> APPROVED);
-- * AFTER_INTERNAL_APPROVAL: we approve first, then the customer
--   (SUBMITTED -> INTERNALLY_APPROVED -> APPROVED);
-- * NONE: no customer approval (SUBMITTED -> APPROVED by us).
-- APPROVED always means "every approval the contract needs": the monthly
-- close reads it. REJECTED is passed through: a rejection is recorded as
-- REJECTED (with its reason) and the same statement returns the timesheet to
-- DRAFT (REOPEN). A function, not a table: the list changes only with the
-- code that follows it, and every role may read it without a table of its
-- own under row-level security.
CREATE OR REPLACE FUNCTION timesheet_context.list_timesheet_transitions()
RETURNS TABLE (from_status text, to_status text, action text, actor_type text, client_approval_gates text[])
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
    VALUES
        ('DRAFT', 'SUBMITTED', 'SUBMIT', 'ENGINEER', '{ANY_TIME,AFTER_SUBMISSION,AFTER_INTERNAL_APPROVAL,NONE}'::text[]),
        ('SUBMITTED', 'CLIENT_APPROVED', 'CLIENT_APPROVE', 'CUSTOMER', '{ANY_TIME,AFTER_SUBMISSION}'),
        ('CLIENT_APPROVED', 'APPROVED', 'APPROVE', 'PROJECT_MANAGER', '{ANY_TIME,AFTER_SUBMISSION}'),
        ('SUBMITTED', 'INTERNALLY_APPROVED', 'APPROVE', 'PROJECT_MANAGER', '{AFTER_INTERNAL_APPROVAL}'),
        ('INTERNALLY_APPROVED', 'APPROVED', 'CLIENT_APPROVE', 'CUSTOMER', '{AFTER_INTERNAL_APPROVAL}'),
        ('SUBMITTED', 'APPROVED', 'APPROVE', 'PROJECT_MANAGER', '{NONE}'),
        ('APPROVED', 'CLOSED', 'CLOSE', 'FINANCE', '{ANY_TIME,AFTER_SUBMISSION,AFTER_INTERNAL_APPROVAL,NONE}'),
        ('SUBMITTED', 'REJECTED', 'REJECT', 'CUSTOMER', '{ANY_TIME,AFTER_SUBMISSION,AFTER_INTERNAL_APPROVAL,NONE}'),
        ('CLIENT_APPROVED', 'REJECTED', 'REJECT', 'PROJECT_MANAGER', '{ANY_TIME,AFTER_SUBMISSION}'),
        ('INTERNALLY_APPROVED', 'REJECTED', 'REJECT', 'CUSTOMER', '{AFTER_INTERNAL_APPROVAL}'),
        ('REJECTED', 'DRAFT', 'REOPEN', 'SYSTEM', '{ANY_TIME,AFTER_SUBMISSION,AFTER_INTERNAL_APPROVAL,NONE}');
$$;

COMMENT ON FUNCTION timesheet_context.list_timesheet_transitions() IS
'The timesheet state machine: the only status changes timesheet_context.timesheets accepts (any other is SE170), with the approval step action each is logged as, who normally takes it, and the contract client_approval_gates it exists for (the gate in force for the timesheet''s month; another gate is SE170). AFTER_SUBMISSION/ANY_TIME: SUBMITTED -> CLIENT_APPROVED -> APPROVED; AFTER_INTERNAL_APPROVAL: SUBMITTED -> INTERNALLY_APPROVED -> APPROVED (customer last); NONE: SUBMITTED -> APPROVED. REJECTED returns to DRAFT in the same statement.';

REVOKE EXECUTE ON FUNCTION timesheet_context.list_timesheet_transitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.list_timesheet_transitions()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
