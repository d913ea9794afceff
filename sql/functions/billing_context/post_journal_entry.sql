-- requires: sql/functions/billing_context/post_journal_entries.sql
-- Why: the one-entry form of billing_context.post_journal_entries (which is
-- where entries and their lines are written, zero lines skipped, the balance
-- proved at commit), for the payment and reversal functions that post one
-- entry at a time.
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
    SELECT p.id INTO v_entry_id
    FROM billing_context.post_journal_entries(pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
        'event_type', p_event_type, 'entry_date', p_entry_date, 'description', p_description,
        'invoice_id', p_invoice_id, 'invoice_year', p_invoice_year, 'invoice_payment_id', p_invoice_payment_id,
        'contract_id', p_contract_id, 'reversal_of_id', p_reversal_of_id, 'lines', p_lines))) AS p (id);
    RETURN v_entry_id;
END
$$;

COMMENT ON FUNCTION billing_context.post_journal_entry(text, date, text, jsonb, uuid, smallint, uuid, uuid, uuid) IS
'Post one journal entry (POSTED) with its lines, given as a JSON array of {side: DEBIT|CREDIT, account: <name in billing_context.account_code>, amount, tax_rate?}; zero-amount lines are skipped. The entry must balance at commit (SE006). Internal to the billing workflow functions.';

REVOKE ALL ON FUNCTION billing_context.post_journal_entry(text, date, text, jsonb, uuid, smallint, uuid, uuid, uuid)
FROM PUBLIC;
