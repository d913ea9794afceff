-- requires: sql/functions/billing_context/account_code.sql, sql/functions/ses_common/current_user_id.sql
-- Why: every money event of the close and of payments posts exactly one
-- balanced journal entry (ses-domain-rules.md section 3). This is the one
-- place that writes entries and their lines, for any number of entries in
-- two inserts (the monthly close posts thousands; post_journal_entry is its
-- one-entry form). Zero-amount lines are left out (a line is always
-- positive) and the deferred trigger tg_accounting_entries__check_balance
-- proves each entry's balance at commit. Entries are never edited
-- afterwards: a correction is a REVERSAL entry
-- (billing_context.reverse_journal_entry).
-- Called only by the SECURITY DEFINER workflow functions (no grant).
CREATE OR REPLACE FUNCTION billing_context.post_journal_entries(p_entries jsonb)
RETURNS SETOF uuid
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_user uuid := ses_common.current_user_id();
BEGIN
    RETURN QUERY
    WITH e AS MATERIALIZED (
        SELECT pg_catalog.gen_random_uuid() AS id, x.entry, x.ord,
               (x.entry ->> 'entry_date')::date AS entry_date
        FROM pg_catalog.jsonb_array_elements(p_entries) WITH ORDINALITY AS x (entry, ord)
    ),
    entry AS (
        INSERT INTO billing_context.accounting_entries (
            id, entry_date, fiscal_year, event_type, invoice_id, invoice_year, invoice_payment_id,
            contract_id, reversal_of_id, description, status, posted_at, posted_by
        )
        SELECT e.id, e.entry_date, pg_catalog.date_part('year', e.entry_date)::smallint, e.entry ->> 'event_type',
               (e.entry ->> 'invoice_id')::uuid, (e.entry ->> 'invoice_year')::smallint,
               (e.entry ->> 'invoice_payment_id')::uuid, (e.entry ->> 'contract_id')::uuid,
               (e.entry ->> 'reversal_of_id')::uuid, e.entry ->> 'description', 'POSTED', pg_catalog.now(), v_user
        FROM e
        ORDER BY e.ord
        RETURNING accounting_entries.id
    ),
    line AS (
        INSERT INTO billing_context.accounting_entry_lines (
            accounting_entry_id, line_no, side, account_code, account_name, amount, tax_rate
        )
        SELECT e.id, pg_catalog.row_number() OVER (PARTITION BY e.id ORDER BY l.ord)::smallint, l.line ->> 'side',
               billing_context.account_code(l.line ->> 'account'), l.line ->> 'account',
               (l.line ->> 'amount')::numeric, (l.line ->> 'tax_rate')::numeric
        FROM e
        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(e.entry -> 'lines') WITH ORDINALITY AS l (line, ord)
        WHERE (l.line ->> 'amount')::numeric <> 0
    )
    SELECT e.id FROM e INNER JOIN entry ON e.id = entry.id ORDER BY e.ord;
END
$$;

COMMENT ON FUNCTION billing_context.post_journal_entries(jsonb) IS
'Post journal entries (POSTED), given as a JSON array of {event_type, entry_date, description, invoice_id?, invoice_year?, invoice_payment_id?, contract_id?, reversal_of_id?, lines: [{side: DEBIT|CREDIT, account: <name in billing_context.account_code>, amount, tax_rate?}]}; zero-amount lines are skipped. Returns the entry ids in the order given. Each entry must balance at commit (SE006). Internal to the billing workflow functions.';

REVOKE ALL ON FUNCTION billing_context.post_journal_entries(jsonb) FROM PUBLIC;
