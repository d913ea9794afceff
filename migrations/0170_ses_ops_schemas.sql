-- depends: 0155_notification_context
-- SES operations: the schemas of the monitoring views and of the archive.
--
-- Why a migration of its own: the replaceable files under sql/ (the
-- monitoring views, sql/schemas/ses_*.sql) need only these schemas, so the
-- later 017x migrations can be rolled back and re-applied without them.

CREATE SCHEMA ses_monitoring;
CREATE SCHEMA ses_archive;

COMMENT ON SCHEMA ses_monitoring IS
'Operational monitoring views of the SES database (long-running queries, index usage, performance metrics), correct on PostgreSQL 15 and safe on an idle database.';
COMMENT ON SCHEMA ses_archive IS
'Rows moved out of the live SES tables by ses_common.archive_old_data: one jsonb copy per row, with where it came from and when it was moved.';

REVOKE ALL ON SCHEMA ses_monitoring FROM PUBLIC;
REVOKE ALL ON SCHEMA ses_archive FROM PUBLIC;
