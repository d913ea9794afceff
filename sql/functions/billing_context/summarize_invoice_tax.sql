-- requires: sql/functions/billing_context/summarize_invoices_tax.sql
-- Why: the one-invoice form of billing_context.summarize_invoices_tax (tax
-- once per invoice and rate, never per line: three 105-yen lines at 10 %
-- with FLOOR give 31, not 30), for the workflow functions that change one
-- invoice. The rule itself lives in summarize_invoices_tax only.
-- Internal to the billing workflow functions (no grant).
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
    v_tax numeric;
BEGIN
    PERFORM billing_context.summarize_invoices_tax(ARRAY[p_invoice_id], p_invoice_year, p_then_status);
    SELECT i.tax_amount INTO v_tax
    FROM billing_context.invoices AS i
    WHERE i.id = p_invoice_id AND i.invoice_year = p_invoice_year;
    RETURN v_tax;
END
$$;

COMMENT ON FUNCTION billing_context.summarize_invoice_tax(uuid, smallint, text) IS
'For a DRAFT invoice: sum its live lines per tax rate into invoice_tax_summaries, with the tax on each sum rounded once by the invoice''s tax_rounding_mode, and set subtotal_amount, tax_amount and total_amount. Optionally sets the status to p_then_status in the same update. Returns the tax. SE182 when the invoice is not DRAFT. Internal to the billing workflow functions.';

REVOKE ALL ON FUNCTION billing_context.summarize_invoice_tax(uuid, smallint, text) FROM PUBLIC;
