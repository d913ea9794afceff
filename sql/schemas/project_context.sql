-- Schema-level settings for project_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA project_context IS
'Project context (案件管理, phase 1 core): projects and their requirements, phases and milestones.';
