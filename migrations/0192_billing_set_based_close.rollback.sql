-- Roll back 0192: nothing to undo in the schema; the older replay of sql/
-- recreates billing_context.issue_month_invoice, and the set-based
-- functions it no longer calls are dropped so the older close is alone.
DROP FUNCTION IF EXISTS billing_context.issue_month_invoices(integer, integer, uuid[], text, text);
DROP FUNCTION IF EXISTS billing_context.list_month_billables(integer, integer, uuid[]);
