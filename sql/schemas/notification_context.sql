-- Schema-level settings for notification_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA notification_context IS
'Notification context (通知管理, phase 3 generic): notifications (partitioned by month), templates, rules, deliveries, channels and subscriptions.';
