-- depends: 0189_timesheet_workflow
-- The monthly close and payments (billing_context.close_month, record_receipt,
-- record_partner_payment, mark_overdue_invoices; ses-domain-rules.md sections
-- 1-3). The functions live under sql/functions/billing_context; this adds what
-- makes them safe to run twice and under concurrency:
-- * one live (not cancelled) invoice per direction, contract and month: a
--   second close of the month, or two closes racing, cannot bill a contract
--   twice (the close also skips what exists; this is the backstop);
-- * one payment per invoice and bank reference: a bank statement line
--   recorded twice is recognised, not booked twice.
CREATE UNIQUE INDEX invoices_contract_month_key
ON billing_context.invoices (direction, contract_id, invoice_year, invoice_month)
WHERE deleted_at IS NULL AND status <> 'CANCELLED' AND contract_id IS NOT NULL;

CREATE UNIQUE INDEX invoice_payments_bank_reference_key
ON billing_context.invoice_payments (invoice_id, bank_reference)
WHERE deleted_at IS NULL AND bank_reference IS NOT NULL AND status <> 'REVERSED';

CREATE INDEX accounting_entries_invoice_idx
ON billing_context.accounting_entries (invoice_id, invoice_year) WHERE deleted_at IS NULL;
