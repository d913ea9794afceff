-- requires: sql/functions/billing_context/post_journal_entry.sql, sql/functions/bbase/raise_invalid.sql
-- Why: posted journal entries are never edited (ses-domain-rules.md section
-- 3); a mistake is corrected by a REVERSAL entry with every line on the
-- other side, then a new posting. The original is marked REVERSED so it is
-- reversed once only. Optimistic locking by the entry version read; a second
-- call finds the reversal and changes nothing (NOTICE). SECURITY DEFINER
-- (finance cannot write journals directly); granted to finance and admin.
CREATE OR REPLACE FUNCTION billing_context.reverse_journal_entry(
    p_entry_id uuid,
    p_expected_version integer,
    p_reason text
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_entry record;
    v_reversal_id uuid;
BEGIN
    IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' THEN
        PERFORM bbase.raise_invalid('SE183', 'p_reason', p_reason, 'why the entry is reversed');
    END IF;
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT e.* INTO v_entry FROM billing_context.accounting_entries AS e
    WHERE e.id = p_entry_id AND e.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND OR v_entry.event_type = 'REVERSAL' THEN
        PERFORM bbase.raise_invalid('SE183', 'p_entry_id', p_entry_id::text, 'no reversible posted entry');
    END IF;
    IF v_entry.status = 'REVERSED' THEN
        SELECT e.id INTO v_reversal_id FROM billing_context.accounting_entries AS e
        WHERE e.reversal_of_id = p_entry_id AND e.deleted_at IS NULL;
        RAISE NOTICE 'entry % is reversed already; nothing changed', v_entry.entry_number;
        RETURN v_reversal_id;
    END IF;

    UPDATE billing_context.accounting_entries AS e
    SET status = 'REVERSED', version = p_expected_version
    WHERE e.id = p_entry_id;

    SELECT billing_context.post_journal_entry('REVERSAL', CURRENT_DATE,
        pg_catalog.format('取消 #%s: %s', v_entry.entry_number, p_reason),
        pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
            'side', CASE l.side WHEN 'DEBIT' THEN 'CREDIT' ELSE 'DEBIT' END,
            'account', l.account_name, 'amount', l.amount, 'tax_rate', l.tax_rate) ORDER BY l.line_no),
        v_entry.invoice_id, v_entry.invoice_year, v_entry.invoice_payment_id, v_entry.contract_id, p_entry_id)
    INTO v_reversal_id
    FROM billing_context.accounting_entry_lines AS l
    WHERE l.accounting_entry_id = p_entry_id AND l.deleted_at IS NULL;
    RETURN v_reversal_id;
END
$$;

COMMENT ON FUNCTION billing_context.reverse_journal_entry(uuid, integer, text) IS
'Correct a posted journal entry (finance): post a REVERSAL entry dated today with every line on the other side and mark the original REVERSED. Arguments: entry id, its version read (SE001 when stale), reason. Returns the reversal''s id; a second call returns it again and changes nothing. SE183: no such entry, a REVERSAL, or no reason.';

REVOKE ALL ON FUNCTION billing_context.reverse_journal_entry(uuid, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.reverse_journal_entry(uuid, integer, text)
TO ses_finance_role, ses_admin_role;
