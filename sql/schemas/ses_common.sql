-- Schema-level settings for ses_common (the SES common machinery). Replayed by bbase migrate.
COMMENT ON SCHEMA ses_common IS
'Machinery shared by the eight SES contexts: the common trigger functions (updated_at, optimistic locking, soft delete, cross-context reference checks, partition key freeze), their attachment, partition maintenance and purge, and the registries of cross-context references and partitioning plans.';

GRANT USAGE ON SCHEMA ses_common
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role,
bbase_operator, bbase_readonly, bbase_sync;
GRANT SELECT ON ses_common.cross_context_references, ses_common.partitioned_tables
TO ses_admin_role, bbase_operator, bbase_readonly;
