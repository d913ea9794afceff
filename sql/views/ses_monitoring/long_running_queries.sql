-- Statements that have been running longer than a threshold (default 30 s).
-- Why: the design document's version filtered its own query out with
-- "query NOT LIKE '%pg_stat_activity%'", which also hid any real query that
-- mentions pg_stat_activity; here the caller's own backend is excluded by pid.
-- The threshold is the session setting ses_monitoring.long_query_threshold
-- (an interval, e.g. SET ses_monitoring.long_query_threshold = '5s'); unset or
-- empty means 30 seconds. current_setting(..., true) returns NULL when unset
-- instead of failing.
-- Readers see other roles' query text only with pg_read_all_stats (pg_monitor).
CREATE OR REPLACE VIEW ses_monitoring.long_running_queries AS
SELECT
    a.pid,
    a.usename,
    a.datname,
    a.application_name,
    a.client_addr,
    a.state,
    a.wait_event_type,
    a.wait_event,
    a.xact_start,
    a.query_start,
    now() - a.query_start AS duration,
    a.query
FROM pg_catalog.pg_stat_activity AS a
WHERE a.backend_type = 'client backend'
    AND a.state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
    AND a.pid <> pg_catalog.pg_backend_pid()
    AND now() - a.query_start > coalesce(
        nullif(current_setting('ses_monitoring.long_query_threshold', true), '')::interval,
        INTERVAL '30 seconds'
    )
ORDER BY duration DESC;

COMMENT ON VIEW ses_monitoring.long_running_queries IS
'Client statements running (or transactions idle) longer than ses_monitoring.long_query_threshold (default 30 s), longest first; the caller''s own backend is excluded. Other roles'' query text needs pg_read_all_stats.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.pid IS 'Backend process id (pg_cancel_backend/pg_terminate_backend take it).';
COMMENT ON COLUMN ses_monitoring.long_running_queries.usename IS 'Role the backend is logged in as.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.datname IS 'Database the backend is connected to.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.application_name IS 'application_name the client set.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.client_addr IS 'Client address; NULL for a Unix socket.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.state IS 'active, idle in transaction, or idle in transaction (aborted).';
COMMENT ON COLUMN ses_monitoring.long_running_queries.wait_event_type IS 'What the backend waits for (Lock, IO, …), NULL when running.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.wait_event IS 'The wait event name, NULL when running.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.xact_start IS 'When the current transaction began.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.query_start IS 'When the current (or last, when idle in transaction) statement began.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.duration IS 'now() - query_start.';
COMMENT ON COLUMN ses_monitoring.long_running_queries.query IS 'Statement text (truncated to track_activity_query_size).';

GRANT SELECT ON ses_monitoring.long_running_queries TO bbase_operator, bbase_readonly;
