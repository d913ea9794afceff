-- A handful of health figures as (name, value) rows, for dashboards and psql.
-- Why: the design document's cache hit ratio divided by
-- sum(heap_blks_hit) + sum(heap_blks_read), which is 0 on an idle database
-- (division by zero) and NULL without tables. Every ratio here divides through
-- NULLIF and reports NULL (metric_value 'n/a') when there is nothing to measure.
CREATE OR REPLACE VIEW ses_monitoring.performance_metrics AS
WITH
heap AS (
    SELECT
        sum(t.heap_blks_hit) AS hit,
        sum(t.heap_blks_read) AS read
    FROM pg_catalog.pg_statio_user_tables AS t
),

idx AS (
    SELECT
        sum(i.idx_blks_hit) AS hit,
        sum(i.idx_blks_read) AS read
    FROM pg_catalog.pg_statio_user_indexes AS i
),

activity AS (
    SELECT
        count(*) FILTER (WHERE a.state = 'active') AS active,
        count(*) FILTER (WHERE a.state LIKE 'idle in transaction%') AS idle_in_transaction,
        count(*) AS total,
        max(extract(EPOCH FROM now() - a.query_start)) FILTER (WHERE a.state = 'active') AS longest
    FROM pg_catalog.pg_stat_activity AS a
    WHERE a.backend_type = 'client backend' AND a.datname = current_database()
),

db AS (
    SELECT
        d.xact_commit,
        d.xact_rollback,
        d.deadlocks,
        d.temp_bytes
    FROM pg_catalog.pg_stat_database AS d
    WHERE d.datname = current_database()
),

metrics (ord, metric_name, metric_numeric, unit) AS (
    SELECT 1, 'Database Size', pg_catalog.pg_database_size(current_database())::numeric, 'bytes'
    UNION ALL
    SELECT 2, 'Active Connections', active::numeric, 'connections' FROM activity
    UNION ALL
    SELECT 3, 'Idle In Transaction Connections', idle_in_transaction::numeric, 'connections' FROM activity
    UNION ALL
    SELECT 4, 'Total Connections', total::numeric, 'connections' FROM activity
    UNION ALL
    SELECT 5, 'Longest Active Query', round(longest::numeric, 3), 'seconds' FROM activity
    UNION ALL
    SELECT 6, 'Cache Hit Ratio', round(100.0 * hit / nullif(hit + read, 0), 2), 'percent' FROM heap
    UNION ALL
    SELECT 7, 'Index Cache Hit Ratio', round(100.0 * hit / nullif(hit + read, 0), 2), 'percent' FROM idx
    UNION ALL
    SELECT 8, 'Commit Ratio', round(100.0 * xact_commit / nullif(xact_commit + xact_rollback, 0), 2), 'percent'
    FROM db
    UNION ALL
    SELECT 9, 'Deadlocks', deadlocks::numeric, 'count' FROM db
    UNION ALL
    SELECT 10, 'Temporary File Bytes', temp_bytes::numeric, 'bytes' FROM db
)

SELECT
    m.metric_name,
    CASE
        WHEN m.metric_numeric IS NULL THEN 'n/a'
        WHEN m.unit = 'bytes' THEN pg_catalog.pg_size_pretty(m.metric_numeric)
        WHEN m.unit = 'percent' THEN m.metric_numeric::text || '%'
        WHEN m.unit = 'seconds' THEN m.metric_numeric::text || ' s'
        ELSE m.metric_numeric::text
    END AS metric_value,
    m.metric_numeric,
    m.unit
FROM metrics AS m
ORDER BY m.ord;

COMMENT ON VIEW ses_monitoring.performance_metrics IS
'Health figures of the current database, one row per metric: size, connections, longest active query, cache and index hit ratios, commit ratio, deadlocks, temporary file bytes. Ratios are NULL (metric_value ''n/a'') when nothing was read yet, never a division error.';
COMMENT ON COLUMN ses_monitoring.performance_metrics.metric_name IS 'Metric name, e.g. Database Size, Active Connections, Cache Hit Ratio.';
COMMENT ON COLUMN ses_monitoring.performance_metrics.metric_value IS 'Human-readable value (pretty size, percent with %, seconds with s); n/a when there is nothing to measure.';
COMMENT ON COLUMN ses_monitoring.performance_metrics.metric_numeric IS 'The value as a number in unit, for alerting; NULL when there is nothing to measure.';
COMMENT ON COLUMN ses_monitoring.performance_metrics.unit IS 'Unit of metric_numeric: bytes, connections, seconds, percent or count.';

GRANT SELECT ON ses_monitoring.performance_metrics TO bbase_operator, bbase_readonly;
