-- Finance: the unpaid receivables by due date, then a receipt (billing_context.record_receipt:
-- payment row, invoice status, balanced journal entry, PaymentReceived event) of 1,000 to
-- 50,000 yen on one open invoice, claimed with FOR UPDATE SKIP LOCKED and paid at the
-- version locked; the bank reference is the transaction id, unique per receipt.
\set slot random(0, :n_invoices - 1)
\set amount random(1, 50) * 1000
BEGIN \; SELECT s.invoice_id AS inv, s.invoice_year AS iy FROM bench_load.open_invoices AS s WHERE s.slot = :slot \gset
SET LOCAL ROLE ses_finance_role \; SELECT ses_common.act_as(':fin') \; SELECT i.id, i.invoice_number, i.recipient_name, i.due_date, i.total_amount - i.paid_amount AS open_amount FROM billing_context.invoices AS i WHERE i.direction = 'RECEIVABLE' AND i.status IN ('UNPAID', 'PARTIALLY_PAID', 'OVERDUE') AND i.deleted_at IS NULL ORDER BY i.due_date LIMIT 50 \; SELECT coalesce(max(x.version), 0) AS v, coalesce(floor(max(x.open_amount)), 0)::bigint AS open_yen FROM (SELECT i.version, i.total_amount - i.paid_amount AS open_amount FROM billing_context.invoices AS i WHERE i.id = ':inv' AND i.invoice_year = :iy AND i.status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE') FOR UPDATE SKIP LOCKED) AS x \gset
\if :open_yen > 0
SELECT billing_context.record_receipt(':inv', :v, current_date, least(:amount, :open_yen), 0, NULL, 'LOAD-' || pg_current_xact_id()::text, 'ベンチマーク入金') \; END;
\else
END;
\endif
