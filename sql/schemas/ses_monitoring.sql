-- Schema-level settings for ses_monitoring (operational views). Replayed by bbase migrate.
-- Why: grants on schemas are not data, so they live here, idempotent, not in migrations.
COMMENT ON SCHEMA ses_monitoring IS
'Operational monitoring views of the SES database (long-running queries, index usage, performance metrics), correct on PostgreSQL 15 and safe on an idle database.';

GRANT USAGE ON SCHEMA ses_monitoring TO bbase_operator, bbase_readonly;
