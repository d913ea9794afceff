-- Why: which contract columns an amendment may change is one rule, read by
-- apply_amendment (to refuse anything else) and terms_for_month (to overlay
-- nothing else). Identity, parties, status and the legal protection columns
-- (is_protected_subcontract, transfer_fee_bearer) are not amendable terms.
CREATE OR REPLACE FUNCTION contract_context.list_amendable_terms()
RETURNS text[]
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
    SELECT ARRAY[
        'monthly_unit_price', 'effort_ratio', 'end_date', 'auto_renewal', 'settlement_method',
        'lower_hours', 'upper_hours', 'midpoint_hours', 'fixed_hours', 'hourly_rate',
        'deduction_hourly_rate', 'overtime_hourly_rate', 'time_unit_minutes', 'rounding_scope',
        'amount_rounding_mode', 'proration_basis', 'closing_day', 'payment_month_offset', 'payment_day',
        'client_approval_gate'
    ]::text[];
$$;

COMMENT ON FUNCTION contract_context.list_amendable_terms() IS
'The contract columns a contract amendment may change (keys of contract_amendments.changes).';

REVOKE EXECUTE ON FUNCTION contract_context.list_amendable_terms() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contract_context.list_amendable_terms()
TO ses_admin_role, ses_project_manager_role, ses_finance_role;
