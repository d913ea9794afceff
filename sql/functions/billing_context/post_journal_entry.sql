-- requires: sql/functions/billing_context/account_code.sql, sql/functions/ses_common/current_user_id.sql
-- Why: every money event of the close and of payments posts exactly one
-- balanced journal entry (ses-domain-rules.md section 3). One function writes
-- the entry and its lines; zero-amount lines are left out (a line is always
-- positive) and the deferred trigger tg_accounting_entries__check_balance
-- proves the balance at commit. Entries are never edited afterwards: a
-- correction is a REVERSAL entry (billing_context.reverse_journal_entry).
-- Called only by the SECURITY DEFINER workflow functions (no grant).
CREATE OR REPLACE FUNCTION billing_context.post_journal_entry(
    p_event_type text,
    p_entry_date date,
    p_description text,
    p_lines jsonb,
    p_invoice_id uuid DEFAULT NULL,
    p_invoice_year smallint DEFAULT NULL,
    p_invoice_payment_id uuid DEFAULT NULL,
    p_contract_id uuid DEFAULT NULL,
    p_reversal_of_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_entry_id uuid;
BEGIN
    INSERT INTO billing_context.accounting_entries (
        entry_date, fiscal_year, event_type, invoice_id, invoice_year, invoice_payment_id,
        contract_id, reversal_of_id, description, status, posted_at, posted_by
    ) VALUES (
        p_entry_date, pg_catalog.date_part('year', p_entry_date)::smallint, p_event_type, p_invoice_id,
        p_invoice_year, p_invoice_payment_id, p_contract_id, p_reversal_of_id, p_description, 'POSTED',
        pg_catalog.now(), ses_common.current_user_id()
    )
    RETURNING id INTO v_entry_id;

    INSERT INTO billing_context.accounting_entry_lines (
        accounting_entry_id, line_no, side, account_code, account_name, amount, tax_rate
    )
    SELECT v_entry_id, pg_catalog.row_number() OVER (ORDER BY l.ord)::smallint, l.line ->> 'side',
           billing_context.account_code(l.line ->> 'account'), l.line ->> 'account',
           (l.line ->> 'amount')::numeric, (l.line ->> 'tax_rate')::numeric
    FROM pg_catalog.jsonb_array_elements(p_lines) WITH ORDINALITY AS l (line, ord)
    WHERE (l.line ->> 'amount')::numeric <> 0;

    RETURN v_entry_id;
END
$$;

COMMENT ON FUNCTION billing_context.post_journal_entry(text, date, text, jsonb, uuid, smallint, uuid, uuid, uuid) IS
'Post one journal entry (POSTED) with its lines, given as a JSON array of {side: DEBIT|CREDIT, account: <name in billing_context.account_code>, amount, tax_rate?}; zero-amount lines are skipped. The entry must balance at commit (SE006). Internal to the billing workflow functions.';

REVOKE ALL ON FUNCTION billing_context.post_journal_entry(text, date, text, jsonb, uuid, smallint, uuid, uuid, uuid)
FROM PUBLIC;
