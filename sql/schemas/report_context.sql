-- Schema-level settings for report_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA report_context IS
'Report context (レポート・分析管理, phase 3 generic): statistics (partitioned by year), KPI definitions and values, dashboards and widgets, report templates and generated reports.';
