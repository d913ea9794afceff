-- requires: sql/functions/contract_context/terms_for_month.sql
-- Why: when the customer approves a timesheet is a term of its contract
-- (client_approval_gate) and an amendment may change it from a month on; the
-- gate of a timesheet is the one in force for its month
-- (contract_context.terms_for_month), falling back to the contract row when
-- the month lies outside the amended period. Read by the transition trigger
-- and the approval functions, for every role.
-- VOLATILE: it turns on the owner's maintenance setting (set_config).
-- SECURITY DEFINER with the owner's maintenance policy: the customer and the
-- engineer who move a timesheet may not read contract amendments (nor call
-- terms_for_month); this returns one word of the contract, never a price or
-- a name. search_path pinned, every name qualified.
CREATE OR REPLACE FUNCTION timesheet_context.read_client_approval_gate(
    p_contract_id uuid,
    p_year integer,
    p_month integer
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_gate text;
BEGIN
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT t.client_approval_gate INTO v_gate
    FROM contract_context.terms_for_month(p_contract_id, p_year, p_month) AS t;
    IF v_gate IS NULL THEN
        SELECT c.client_approval_gate INTO v_gate
        FROM contract_context.contracts AS c
        WHERE c.id = p_contract_id;
    END IF;
    RETURN v_gate;
END
$$;

COMMENT ON FUNCTION timesheet_context.read_client_approval_gate(uuid, integer, integer) IS
'The client_approval_gate (ANY_TIME, AFTER_SUBMISSION, AFTER_INTERNAL_APPROVAL, NONE) of contract p_contract_id in force for month p_year-p_month (amendments included); NULL for an unknown contract.';

REVOKE EXECUTE ON FUNCTION timesheet_context.read_client_approval_gate(uuid, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.read_client_approval_gate(uuid, integer, integer)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
