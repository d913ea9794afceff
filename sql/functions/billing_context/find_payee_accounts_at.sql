-- Why: "which payee accounts does the removal of this bank or branch break"
-- is one rule, read by the hook that invalidates them
-- (tg_change_history__update_payee_accounts) and by the impact shown to a
-- reviewer before (zengin.diff_impact): live ACTIVE accounts on the bank
-- (p_branch_code NULL: the whole bank) or on the branch. A plain SQL
-- function, inlined into the caller's query, with the caller's rights.
CREATE OR REPLACE FUNCTION billing_context.find_payee_accounts_at(p_bank_code text, p_branch_code text)
RETURNS SETOF billing_context.payee_accounts
LANGUAGE sql
STABLE
AS $$
    SELECT a.*
    FROM billing_context.payee_accounts AS a
    WHERE a.bank_code = p_bank_code
      AND (p_branch_code IS NULL OR a.branch_code = p_branch_code)
      AND a.status = 'ACTIVE'
      AND a.deleted_at IS NULL
$$;

COMMENT ON FUNCTION billing_context.find_payee_accounts_at(text, text) IS
'Live ACTIVE payee accounts on bank p_bank_code and branch p_branch_code (NULL: every branch of the bank): the accounts a removal of that bank or branch from the Zengin master invalidates.';

REVOKE ALL ON FUNCTION billing_context.find_payee_accounts_at(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.find_payee_accounts_at(text, text) TO ses_admin_role, ses_finance_role;
