DROP TABLE IF EXISTS ses_common.bank_calendar_years;
DROP TABLE IF EXISTS ses_common.bank_holidays;
DROP INDEX IF EXISTS billing_context.invoices_payables_by_payee_idx;
DELETE FROM ses_common.table_grants WHERE schema_name = 'billing_context' AND table_name = 'transfer_originators';
DROP TABLE IF EXISTS billing_context.transfer_originators;
ALTER TABLE billing_context.payee_accounts DROP COLUMN IF EXISTS master_check;
