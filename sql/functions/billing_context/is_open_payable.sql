-- Why: "a payable we still owe" is one rule, read by the transfer file (what
-- to pay) and by zengin.diff_impact (what a master change puts at risk): a
-- partner's invoice (PAYABLE) that was approved (left DRAFT) and is neither
-- paid nor cancelled. Inlined (one SQL expression); the partial index
-- invoices_payables_by_payee_idx has the same predicate.
CREATE OR REPLACE FUNCTION billing_context.is_open_payable(p_direction text, p_status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN p_direction = 'PAYABLE' AND p_status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE');

COMMENT ON FUNCTION billing_context.is_open_payable(text, text) IS
'True for an invoice we still owe: direction PAYABLE and status ISSUED, UNPAID, PARTIALLY_PAID or OVERDUE (approved, not paid, not cancelled). The amount owed is total_amount - paid_amount.';

REVOKE ALL ON FUNCTION billing_context.is_open_payable(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.is_open_payable(text, text) TO ses_admin_role, ses_finance_role, bbase_operator;
