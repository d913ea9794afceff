-- Why: the contract state machine as data, in one place (like
-- timesheet_context.list_timesheet_transitions): a contract is drafted, sent
-- for signatures, in force (ACTIVE: both sides signed,
-- tg_contracts__require_signatures), possibly suspended and resumed, and ends
-- COMPLETED or TERMINATED; one never signed ends CANCELLED. Nothing leaves an
-- end status: a CANCELLED or COMPLETED contract set back to ACTIVE would be
-- in force without the signatures of a new one. tg_contracts__enforce_transition
-- allows exactly these pairs. A function, not a table: the list changes only
-- with the code that follows it.
CREATE OR REPLACE FUNCTION contract_context.list_contract_transitions()
RETURNS TABLE (from_status text, to_status text)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
    VALUES
        ('DRAFT', 'PENDING_SIGNATURE'),
        ('DRAFT', 'ACTIVE'),
        ('DRAFT', 'CANCELLED'),
        ('PENDING_SIGNATURE', 'ACTIVE'),
        ('PENDING_SIGNATURE', 'DRAFT'),
        ('PENDING_SIGNATURE', 'CANCELLED'),
        ('ACTIVE', 'SUSPENDED'),
        ('ACTIVE', 'COMPLETED'),
        ('ACTIVE', 'TERMINATED'),
        ('SUSPENDED', 'ACTIVE'),
        ('SUSPENDED', 'COMPLETED'),
        ('SUSPENDED', 'TERMINATED');
$$;

COMMENT ON FUNCTION contract_context.list_contract_transitions() IS
'The contract state machine: the only status changes contract_context.contracts accepts (any other is SE214). DRAFT/PENDING_SIGNATURE -> ACTIVE needs both signatures (SE193); a new contract starts as DRAFT (SE213); COMPLETED, TERMINATED and CANCELLED are final.';

REVOKE EXECUTE ON FUNCTION contract_context.list_contract_transitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contract_context.list_contract_transitions()
TO ses_admin_role, ses_project_manager_role, ses_finance_role, ses_customer_role, ses_engineer_role;
