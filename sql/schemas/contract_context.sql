-- Schema-level settings for contract_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA contract_context IS
'Contract context (契約管理, phase 2 supporting): customer- and partner-side contracts with their settlement ranges, signatures, templates and amendments.';
