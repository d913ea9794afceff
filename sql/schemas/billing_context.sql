-- Schema-level settings for billing_context. Replayed by bbase migrate.
-- Grants are minimal until row-level security (a later issue) narrows rows:
-- ses_engineer_role and ses_customer_role get USAGE only, because without
-- policies a table grant would show them every engineer's or customer's rows.
COMMENT ON SCHEMA billing_context IS
'Billing context (請求・支払管理, phase 2 supporting): invoices (partitioned by year) with lines and tax per rate, payments, journal entries and payee bank accounts.';

GRANT USAGE ON SCHEMA billing_context
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role,
bbase_operator, bbase_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing_context TO ses_admin_role;
GRANT SELECT ON ALL TABLES IN SCHEMA billing_context TO bbase_operator, bbase_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing_context TO ses_finance_role;
