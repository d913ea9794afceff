-- Schema-level settings for timesheet_context. Replayed by bbase migrate.
-- Why no GRANT here: the SES roles' grants on this schema and its tables are
-- rows of ses_common.context_grants (migration 0174), applied to every context
-- by ses_common.apply_context_grants (sql/post_install/ses_common/apply_context_grants.sql).
COMMENT ON SCHEMA timesheet_context IS
'Timesheet context (勤怠・工数管理, phase 2 supporting): monthly timesheets (partitioned by month), daily attendance, the approval flow and adjustments.';
