-- Why: double-entry bookkeeping (ses-domain-rules.md section 3): a posted
-- journal entry's debits equal its credits, with at least one line on each
-- side. Lines are written one by one, so the check runs at commit (deferred
-- constraint triggers on both tables call this); a DRAFT entry may be
-- unbalanced while it is being built.
CREATE OR REPLACE FUNCTION billing_context.assert_entry_balanced(p_entry_id uuid)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_status text;
    v_debit numeric;
    v_credit numeric;
BEGIN
    SELECT e.status INTO v_status
    FROM billing_context.accounting_entries AS e
    WHERE e.id = p_entry_id AND e.deleted_at IS NULL;
    IF NOT FOUND OR v_status = 'DRAFT' THEN
        RETURN;
    END IF;
    SELECT coalesce(sum(l.amount) FILTER (WHERE l.side = 'DEBIT'), 0),
           coalesce(sum(l.amount) FILTER (WHERE l.side = 'CREDIT'), 0)
    INTO v_debit, v_credit
    FROM billing_context.accounting_entry_lines AS l
    WHERE l.accounting_entry_id = p_entry_id AND l.deleted_at IS NULL;
    IF v_debit <> v_credit OR v_debit = 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: debit %, credit %', p_entry_id, v_debit, v_credit
            USING ERRCODE = 'SE006',
                  DETAIL = pg_catalog.format('entry=%s status=%s debit=%s credit=%s',
                                             p_entry_id, v_status, v_debit, v_credit),
                  HINT = 'Add or correct lines so that debits equal credits (both sides non-empty), '
                         'or keep the entry DRAFT until it does.';
    END IF;
END
$$;

COMMENT ON FUNCTION billing_context.assert_entry_balanced(uuid) IS
'Raise SE006 unless the live lines of a POSTED or REVERSED journal entry have equal, non-zero debit and credit sums. DRAFT, missing and soft-deleted entries pass.';

GRANT EXECUTE ON FUNCTION billing_context.assert_entry_balanced(uuid) TO ses_admin_role, ses_finance_role;
