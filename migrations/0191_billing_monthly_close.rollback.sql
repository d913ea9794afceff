-- Undo 0191: the indexes of the monthly close.
DROP INDEX IF EXISTS billing_context.accounting_entries_invoice_idx;
DROP INDEX IF EXISTS billing_context.invoice_payments_bank_reference_key;
DROP INDEX IF EXISTS billing_context.invoices_contract_month_key;
