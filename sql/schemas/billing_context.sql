-- Schema-level settings for billing_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA billing_context IS
'Billing context (請求・支払管理, phase 2 supporting): invoices (partitioned by year) with lines and tax per rate, payments, journal entries and payee bank accounts.';
