-- How often each table's blocks were found in shared buffers, per table with
-- its partitions added up, most blocks read from outside first.
-- Why: performance_metrics gives one cache hit ratio for the whole database;
-- under load the question is which table misses (a table larger than memory,
-- a query scanning every partition). Partitions are summed into their
-- partitioned table (pg_partition_root) so a table partitioned by month is
-- one row, not sixty. Ratios divide through NULLIF: a table never read reads
-- NULL, not an error. Counters run since the last statistics reset.
CREATE OR REPLACE VIEW ses_monitoring.table_cache_hits AS
WITH io AS (
    SELECT
        coalesce(pg_catalog.pg_partition_root(s.relid), s.relid) AS table_oid,
        count(*) FILTER (WHERE pg_catalog.pg_partition_root(s.relid) IS NOT NULL) AS partitions,
        sum(s.heap_blks_hit) AS heap_hit,
        sum(s.heap_blks_read) AS heap_read,
        sum(coalesce(s.idx_blks_hit, 0)) AS index_hit,
        sum(coalesce(s.idx_blks_read, 0)) AS index_read
    FROM pg_catalog.pg_statio_user_tables AS s
    GROUP BY coalesce(pg_catalog.pg_partition_root(s.relid), s.relid)
)

SELECT
    n.nspname AS schemaname,
    c.relname AS table_name,
    io.partitions,
    io.heap_hit AS heap_blocks_hit,
    io.heap_read AS heap_blocks_read,
    round(100.0 * io.heap_hit / nullif(io.heap_hit + io.heap_read, 0), 2) AS heap_hit_ratio,
    io.index_hit AS index_blocks_hit,
    io.index_read AS index_blocks_read,
    round(100.0 * io.index_hit / nullif(io.index_hit + io.index_read, 0), 2) AS index_hit_ratio
FROM io
INNER JOIN pg_catalog.pg_class AS c ON io.table_oid = c.oid
INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
ORDER BY io.heap_read + io.index_read DESC, io.heap_hit + io.index_hit DESC, n.nspname ASC, c.relname ASC;

COMMENT ON VIEW ses_monitoring.table_cache_hits IS
'Buffer cache hits and reads per table since the last statistics reset, a partitioned table''s partitions summed into it: heap and index blocks found in shared buffers (hit) or read from the OS (read), and the hit ratios in percent (NULL when never read). Tables reading the most blocks from outside come first.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.schemaname IS 'Schema of the table.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.table_name IS 'Table; for a partitioned table its partitions are summed into this row.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.partitions IS 'Partitions summed into the row (0 for a plain table).';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.heap_blocks_hit IS 'Table blocks found in shared buffers.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.heap_blocks_read IS 'Table blocks read from the OS (its page cache or disk).';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.heap_hit_ratio IS 'heap_blocks_hit / (hit + read) in percent, 2 decimals; NULL when never read.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.index_blocks_hit IS 'Index blocks of the table''s indexes found in shared buffers.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.index_blocks_read IS 'Index blocks read from the OS.';
COMMENT ON COLUMN ses_monitoring.table_cache_hits.index_hit_ratio IS 'index_blocks_hit / (hit + read) in percent, 2 decimals; NULL when never read.';

GRANT SELECT ON ses_monitoring.table_cache_hits TO bbase_operator, bbase_readonly;
