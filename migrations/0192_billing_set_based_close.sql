-- depends: 0191_billing_monthly_close
-- The monthly close is set-based: billing_context.issue_month_invoices
-- (sql/functions) writes a month's invoices, lines, tax summaries, journal
-- entries and events in a few statements, replacing the per-contract
-- billing_context.issue_month_invoice, which is dropped here (it was internal
-- to close_month, granted to no role).
DROP FUNCTION IF EXISTS billing_context.issue_month_invoice(text, uuid, uuid, integer, integer, numeric, text, text);
