-- Why: input tax on a purchase from an unregistered (免税) partner is only
-- partly creditable during the transition (ses-domain-rules.md section 2):
-- 80 % to 2026-09-30, 70 % to 2028-09-30, 50 % to 2030-09-30, 30 % to
-- 2031-09-30, nothing after. The dated table is kept here, in one place.
-- (The 1億円 per-supplier yearly cap is not applied.)
CREATE OR REPLACE FUNCTION billing_context.input_tax_credit_rate(p_transaction_date date)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = ''
RETURN CASE
    WHEN p_transaction_date < DATE '2023-10-01' THEN 1.00
    WHEN p_transaction_date <= DATE '2026-09-30' THEN 0.80
    WHEN p_transaction_date <= DATE '2028-09-30' THEN 0.70
    WHEN p_transaction_date <= DATE '2030-09-30' THEN 0.50
    WHEN p_transaction_date <= DATE '2031-09-30' THEN 0.30
    ELSE 0.00
END;

COMMENT ON FUNCTION billing_context.input_tax_credit_rate(date) IS
'Share of the input tax creditable on a purchase from an unregistered partner on a transaction date: 1.00 before 2023-10-01, then 0.80, 0.70 (from 2026-10-01), 0.50, 0.30, and 0 from 2031-10-01.';

REVOKE ALL ON FUNCTION billing_context.input_tax_credit_rate(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.input_tax_credit_rate(date) TO ses_admin_role, ses_finance_role;
