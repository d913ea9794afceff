-- Schema-level settings for matching_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA matching_context IS
'Matching context (マッチング管理, phase 1 core): matching requests, scored candidates, results and the scoring weights.';
