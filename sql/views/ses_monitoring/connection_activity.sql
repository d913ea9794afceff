-- Who is connected and what they are doing, one row per database, login,
-- application and state: the view to watch while a load runs (bbase bench
-- load) or when the pooler's clients queue.
-- Why: performance_metrics counts connections of the current database only
-- and long_running_queries lists single statements past a threshold; neither
-- says which login or application holds the server connections, how many of
-- them wait on a lock, or how old the oldest open transaction is. Behind
-- PgBouncer in transaction mode each pooled login holds at most its pool of
-- server connections, so a login with many more connections here bypasses
-- the pooler, and "idle in transaction" rows are server connections a client
-- holds without working (they block vacuum and the pool).
-- Other logins' state is visible only to members of pg_read_all_stats
-- (pg_monitor); without it their rows show state NULL.
CREATE OR REPLACE VIEW ses_monitoring.connection_activity AS
SELECT
    a.datname,
    a.usename,
    a.application_name,
    a.state,
    count(*) AS connections,
    count(*) FILTER (WHERE a.wait_event_type = 'Lock') AS waiting_on_lock,
    round(extract(EPOCH FROM max(now() - a.xact_start))::numeric, 3) AS oldest_transaction_seconds,
    round(
        extract(EPOCH FROM max(now() - a.query_start) FILTER (WHERE a.state = 'active'))::numeric, 3
    ) AS longest_active_seconds
FROM pg_catalog.pg_stat_activity AS a
WHERE a.backend_type = 'client backend' AND a.pid <> pg_catalog.pg_backend_pid()
GROUP BY a.datname, a.usename, a.application_name, a.state
ORDER BY connections DESC, a.datname ASC, a.usename ASC, a.application_name ASC, a.state ASC;

COMMENT ON VIEW ses_monitoring.connection_activity IS
'Client connections of the cluster grouped by database, login, application and state (active, idle, idle in transaction, …), with how many wait on a lock, the oldest open transaction and the longest active statement; the caller''s own connection is left out. Other logins'' state needs pg_read_all_stats (pg_monitor).';
COMMENT ON COLUMN ses_monitoring.connection_activity.datname IS 'Database connected to.';
COMMENT ON COLUMN ses_monitoring.connection_activity.usename IS 'Login of the connections (the session user: a SET ROLE inside a transaction does not change it).';
COMMENT ON COLUMN ses_monitoring.connection_activity.application_name IS 'application_name the clients set (PGAPPNAME); empty when none.';
COMMENT ON COLUMN ses_monitoring.connection_activity.state IS 'active, idle, idle in transaction, idle in transaction (aborted), fastpath function call, disabled; NULL when the caller may not see it.';
COMMENT ON COLUMN ses_monitoring.connection_activity.connections IS 'Connections in this group.';
COMMENT ON COLUMN ses_monitoring.connection_activity.waiting_on_lock IS 'Of them, connections waiting for a lock (wait_event_type Lock).';
COMMENT ON COLUMN ses_monitoring.connection_activity.oldest_transaction_seconds IS 'Age of the oldest open transaction in the group, seconds; NULL when none is open.';
COMMENT ON COLUMN ses_monitoring.connection_activity.longest_active_seconds IS 'Run time of the longest running statement in the group, seconds; NULL when none is active.';

GRANT SELECT ON ses_monitoring.connection_activity TO bbase_operator, bbase_readonly;
