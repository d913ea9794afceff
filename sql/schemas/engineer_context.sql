-- Schema-level settings for engineer_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA engineer_context IS
'Engineer context (技術者管理, phase 1 core): engineers, skill assessments, certifications and availability periods. Holds no attribute that may not be used for selection (age, sex, nationality, birthplace).';
