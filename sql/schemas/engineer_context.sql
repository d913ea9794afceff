-- Schema-level settings for engineer_context. Replayed by bbase migrate.
-- Grants are minimal until row-level security (a later issue) narrows rows:
-- ses_engineer_role and ses_customer_role get USAGE only, because without
-- policies a table grant would show them every engineer's or customer's rows.
COMMENT ON SCHEMA engineer_context IS
'Engineer context (技術者管理, phase 1 core): engineers, skill assessments, certifications and availability periods. Holds no attribute that may not be used for selection (age, sex, nationality, birthplace).';

GRANT USAGE ON SCHEMA engineer_context
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role,
bbase_operator, bbase_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA engineer_context TO ses_admin_role;
GRANT SELECT ON ALL TABLES IN SCHEMA engineer_context TO bbase_operator, bbase_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA engineer_context TO ses_project_manager_role;
GRANT SELECT ON ALL TABLES IN SCHEMA engineer_context TO ses_finance_role;
