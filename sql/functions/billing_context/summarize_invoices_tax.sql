-- requires: sql/functions/billing_context/round_yen.sql, sql/functions/bbase/raise_invalid.sql
-- Why: the qualified-invoice system computes consumption tax once per invoice
-- and rate, never per line (NTA Q&A 問57; ses-domain-rules.md section 2):
-- three 105-yen lines at 10 % with FLOOR give floor(315 x 0.1) = 31, not
-- 3 x floor(10.5) = 30. This is the one place that sums the lines per rate,
-- writes invoice_tax_summaries and sets the invoices' subtotal, tax and total,
-- for any number of invoices of one year in three statements (the monthly
-- close summarises thousands at once; summarize_invoice_tax is its
-- one-invoice form). Only DRAFT invoices are summarised, an issued one is
-- final: the invoices are locked first and SE182 names the first given id
-- that is not a DRAFT invoice of that year. p_then_status (e.g. ISSUED) is
-- set in the same UPDATE, sparing the close a second write per invoice.
-- The ids are joined as a set (unnest), never tested with = ANY(array): a
-- plan that repeats the array test per row costs ids x rows comparisons
-- (seconds for a month's thousands of invoices).
-- Internal to the billing workflow functions (no grant).
CREATE OR REPLACE FUNCTION billing_context.summarize_invoices_tax(
    p_invoice_ids uuid[],
    p_invoice_year smallint,
    p_then_status text DEFAULT NULL
)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_given integer;
    v_locked integer;
    v_missing text;
BEGIN
    SELECT pg_catalog.count(DISTINCT u.id) INTO v_given FROM pg_catalog.unnest(p_invoice_ids) AS u (id);
    -- One primary-key lookup per id (LATERAL): the statistics of a partition
    -- just filled by the close know nothing of its DRAFT rows, and a join
    -- planned on them compared every id with every row.
    SELECT pg_catalog.count(*) INTO v_locked
    FROM (SELECT DISTINCT u.id FROM pg_catalog.unnest(p_invoice_ids) AS u (id)) AS g
    CROSS JOIN LATERAL (
        SELECT i.id
        FROM billing_context.invoices AS i
        WHERE i.id = g.id AND i.invoice_year = p_invoice_year AND i.status = 'DRAFT'
        FOR UPDATE
    ) AS l;
    IF v_locked < v_given OR pg_catalog.array_position(p_invoice_ids, NULL) IS NOT NULL THEN
        SELECT u.id::text INTO v_missing
        FROM pg_catalog.unnest(p_invoice_ids) AS u (id)
        WHERE u.id IS NULL OR NOT EXISTS (
            SELECT FROM billing_context.invoices AS i
            WHERE i.id = u.id AND i.invoice_year = p_invoice_year AND i.status = 'DRAFT'
        )
        ORDER BY u.id NULLS FIRST
        LIMIT 1;
        PERFORM bbase.raise_invalid('SE182', 'invoice_id', v_missing, 'no DRAFT invoice with this id');
    END IF;

    UPDATE billing_context.invoice_tax_summaries AS s
    SET deleted_at = pg_catalog.now()
    FROM (SELECT DISTINCT u.id FROM pg_catalog.unnest(p_invoice_ids) AS u (id)) AS g
    WHERE s.invoice_id = g.id AND s.invoice_year = p_invoice_year AND s.deleted_at IS NULL;

    INSERT INTO billing_context.invoice_tax_summaries (invoice_id, invoice_year, tax_rate, taxable_amount, tax_amount)
    SELECT b.invoice_id, p_invoice_year, b.tax_rate, pg_catalog.sum(b.amount),
           billing_context.round_yen(pg_catalog.sum(b.amount) * b.tax_rate, i.tax_rounding_mode)
    FROM (SELECT DISTINCT u.id FROM pg_catalog.unnest(p_invoice_ids) AS u (id)) AS g
    INNER JOIN billing_context.invoice_billing_items AS b ON g.id = b.invoice_id
    INNER JOIN billing_context.invoices AS i ON b.invoice_id = i.id AND b.invoice_year = i.invoice_year
    WHERE b.invoice_year = p_invoice_year AND b.deleted_at IS NULL
    GROUP BY b.invoice_id, b.tax_rate, i.tax_rounding_mode;

    UPDATE billing_context.invoices AS i
    SET subtotal_amount = t.subtotal, tax_amount = t.tax, total_amount = t.subtotal + t.tax,
        status = coalesce(p_then_status, i.status)
    FROM (
        SELECT u.id, coalesce(pg_catalog.sum(s.taxable_amount), 0) AS subtotal,
               coalesce(pg_catalog.sum(s.tax_amount), 0) AS tax
        FROM (SELECT DISTINCT v.id FROM pg_catalog.unnest(p_invoice_ids) AS v (id)) AS u
        LEFT JOIN billing_context.invoice_tax_summaries AS s
            ON u.id = s.invoice_id AND s.invoice_year = p_invoice_year AND s.deleted_at IS NULL
        GROUP BY u.id
    ) AS t
    WHERE i.id = t.id AND i.invoice_year = p_invoice_year;
    RETURN v_locked;
END
$$;

COMMENT ON FUNCTION billing_context.summarize_invoices_tax(uuid[], smallint, text) IS
'For DRAFT invoices of one year: sum each one''s live lines per tax rate into invoice_tax_summaries, with the tax on each sum rounded once by the invoice''s tax_rounding_mode, and set subtotal_amount, tax_amount and total_amount. Optionally sets the status to p_then_status in the same update. Returns the number of invoices summarised. SE182 names the first id that is not a DRAFT invoice of that year. Internal to the billing workflow functions.';

REVOKE ALL ON FUNCTION billing_context.summarize_invoices_tax(uuid[], smallint, text) FROM PUBLIC;
