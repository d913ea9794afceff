-- requires: sql/functions/billing_context/find_zengin_branches.sql, sql/functions/billing_context/is_open_payable.sql
-- Why: what a transfer file for a date would pay, and why an account cannot
-- be paid, in one query the builder (billing_context.build_transfer_records)
-- walks and an operator can run on its own before building (no decryption,
-- no keys needed): one row per payee account of the open payables due by
-- p_payment_date, the amount owed, and the problem that refuses the batch
-- (problem_code SE144 for the account, SE145 for the amount), NULL when it
-- can be paid. A payable naming no account is one row with a NULL account.
CREATE OR REPLACE FUNCTION billing_context.list_transfer_payees(p_payment_date date)
RETURNS TABLE (
    payee_account_id uuid, invoice_numbers text, amount numeric,
    problem text, problem_code text,
    bank_code text, branch_code text, account_type smallint, bank_kana text, branch_kana text
)
LANGUAGE sql
STABLE
AS $$
    WITH due AS (
        SELECT i.payee_account_id,
            pg_catalog.string_agg(i.invoice_number, ', ' ORDER BY i.invoice_number) AS invoice_numbers,
            pg_catalog.sum(i.total_amount - i.paid_amount) AS amount
        FROM billing_context.invoices AS i
        WHERE billing_context.is_open_payable(i.direction, i.status)
          AND i.deleted_at IS NULL AND i.due_date <= p_payment_date
          AND i.total_amount > i.paid_amount
        GROUP BY i.payee_account_id
    ), master AS (
        SELECT z.*
        FROM billing_context.find_zengin_branches(ARRAY(
            SELECT a.bank_code || '-' || a.branch_code
            FROM billing_context.payee_accounts AS a
            WHERE a.id IN (SELECT d.payee_account_id FROM due AS d))) AS z
    )
    SELECT d.payee_account_id, d.invoice_numbers, d.amount,
        CASE
            WHEN d.payee_account_id IS NULL THEN 'invoices ' || d.invoice_numbers || ' name no payee account'
            WHEN a.id IS NULL OR a.deleted_at IS NOT NULL
                THEN 'payee account ' || d.payee_account_id || ' does not exist'
            WHEN a.status <> 'ACTIVE' THEN pg_catalog.format('payee account %s is %s%s', a.id, a.status,
                coalesce(' (' || a.invalid_reason || ')', ''))
            WHEN NOT coalesce(m.bank_found, false) THEN pg_catalog.format(
                'payee account %s: bank %s is not in the Zengin master', a.id, a.bank_code)
            WHEN NOT m.branch_found THEN pg_catalog.format(
                'payee account %s: branch %s-%s is not in the Zengin master', a.id, a.bank_code, a.branch_code)
            WHEN d.amount <> pg_catalog.trunc(d.amount) THEN pg_catalog.format(
                'payee account %s: amount %s is not whole yen', a.id, d.amount)
            WHEN d.amount > 9999999999 THEN pg_catalog.format(
                'payee account %s: amount %s exceeds 9,999,999,999 (N10)', a.id, d.amount)
        END,
        CASE
            WHEN d.payee_account_id IS NULL OR a.id IS NULL OR a.deleted_at IS NOT NULL
                 OR a.status <> 'ACTIVE' OR NOT coalesce(m.branch_found, false) THEN 'SE144'
            WHEN d.amount <> pg_catalog.trunc(d.amount) OR d.amount > 9999999999 THEN 'SE145'
        END,
        a.bank_code, a.branch_code, a.account_type, m.bank_kana, m.branch_kana
    FROM due AS d
    LEFT JOIN billing_context.payee_accounts AS a ON a.id = d.payee_account_id
    LEFT JOIN master AS m ON m.branch_key = a.bank_code || '-' || a.branch_code
$$;

COMMENT ON FUNCTION billing_context.list_transfer_payees(date) IS
'What the transfer file for p_payment_date would pay: per payee account, the open payables due by then (invoice numbers, amount owed) and, when the account cannot be paid, the problem (INVALID/CLOSED with its reason, missing account, bank or branch not in the Zengin master: problem_code SE144; amount not whole yen or beyond N10: SE145). No decryption. Used by billing_context.build_transfer_records.';

REVOKE ALL ON FUNCTION billing_context.list_transfer_payees(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.list_transfer_payees(date) TO ses_admin_role, ses_finance_role;
