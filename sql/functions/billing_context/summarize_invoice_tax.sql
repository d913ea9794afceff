-- requires: sql/functions/billing_context/round_yen.sql, sql/functions/bbase/raise_invalid.sql
-- Why: the qualified-invoice system computes consumption tax once per invoice
-- and rate, never per line (NTA Q&A 問57; ses-domain-rules.md section 2):
-- three 105-yen lines at 10 % with FLOOR give floor(315 x 0.1) = 31, not
-- 3 x floor(10.5) = 30. This is the one place that sums the lines per rate,
-- writes invoice_tax_summaries and sets the invoice's subtotal, tax and total.
-- Internal to the billing workflow functions (no grant); only a DRAFT invoice
-- is summarised, an issued one is final. p_then_status (e.g. ISSUED) is set
-- in the same UPDATE, sparing the close a second write per invoice.
CREATE OR REPLACE FUNCTION billing_context.summarize_invoice_tax(
    p_invoice_id uuid,
    p_invoice_year smallint,
    p_then_status text DEFAULT NULL
)
RETURNS numeric
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_mode text;
    v_subtotal numeric;
    v_tax numeric;
BEGIN
    SELECT i.tax_rounding_mode INTO v_mode
    FROM billing_context.invoices AS i
    WHERE i.id = p_invoice_id AND i.invoice_year = p_invoice_year AND i.status = 'DRAFT'
    FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM bbase.raise_invalid('SE182', 'invoice_id', p_invoice_id::text, 'no DRAFT invoice with this id');
    END IF;

    UPDATE billing_context.invoice_tax_summaries AS s
    SET deleted_at = pg_catalog.now()
    WHERE s.invoice_id = p_invoice_id AND s.invoice_year = p_invoice_year AND s.deleted_at IS NULL;

    INSERT INTO billing_context.invoice_tax_summaries (invoice_id, invoice_year, tax_rate, taxable_amount, tax_amount)
    SELECT p_invoice_id, p_invoice_year, b.tax_rate, pg_catalog.sum(b.amount),
           billing_context.round_yen(pg_catalog.sum(b.amount) * b.tax_rate, v_mode)
    FROM billing_context.invoice_billing_items AS b
    WHERE b.invoice_id = p_invoice_id AND b.invoice_year = p_invoice_year AND b.deleted_at IS NULL
    GROUP BY b.tax_rate;

    SELECT coalesce(pg_catalog.sum(s.taxable_amount), 0), coalesce(pg_catalog.sum(s.tax_amount), 0)
    INTO v_subtotal, v_tax
    FROM billing_context.invoice_tax_summaries AS s
    WHERE s.invoice_id = p_invoice_id AND s.invoice_year = p_invoice_year AND s.deleted_at IS NULL;

    UPDATE billing_context.invoices AS i
    SET subtotal_amount = v_subtotal, tax_amount = v_tax, total_amount = v_subtotal + v_tax,
        status = coalesce(p_then_status, i.status)
    WHERE i.id = p_invoice_id AND i.invoice_year = p_invoice_year;
    RETURN v_tax;
END
$$;

COMMENT ON FUNCTION billing_context.summarize_invoice_tax(uuid, smallint, text) IS
'For a DRAFT invoice: sum its live lines per tax rate into invoice_tax_summaries, with the tax on each sum rounded once by the invoice''s tax_rounding_mode, and set subtotal_amount, tax_amount and total_amount. Optionally sets the status to p_then_status in the same update. Returns the tax. SE182 when the invoice is not DRAFT. Internal to the billing workflow functions.';

REVOKE ALL ON FUNCTION billing_context.summarize_invoice_tax(uuid, smallint, text) FROM PUBLIC;
