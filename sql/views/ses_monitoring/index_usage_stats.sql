-- How much each index is used, and how many of the entries it reads lead to live rows.
-- Why: the design document's version selected tablename/indexname, which
-- pg_stat_user_indexes does not have (PostgreSQL 15 calls them relname and
-- indexrelname). The efficiency rate divides through NULLIF, so an index
-- never read yields NULL rather than an error or a misleading 0.
CREATE OR REPLACE VIEW ses_monitoring.index_usage_stats AS
SELECT
    s.schemaname,
    s.relname AS table_name,
    s.indexrelname AS index_name,
    s.idx_scan,
    s.idx_tup_read,
    s.idx_tup_fetch,
    round(100.0 * s.idx_tup_fetch / nullif(s.idx_tup_read, 0), 2) AS efficiency_rate,
    pg_catalog.pg_relation_size(s.indexrelid) AS index_size_bytes,
    i.indisunique AS is_unique
FROM pg_catalog.pg_stat_user_indexes AS s
INNER JOIN pg_catalog.pg_index AS i ON s.indexrelid = i.indexrelid
ORDER BY efficiency_rate DESC NULLS LAST, s.idx_scan DESC;

COMMENT ON VIEW ses_monitoring.index_usage_stats IS
'Per-index usage since the statistics were last reset: scans, entries read, rows fetched, efficiency (fetched/read, %), size. An index with idx_scan = 0 over a long period is a candidate for removal (unless it backs a constraint).';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.schemaname IS 'Schema of the table.';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.table_name IS 'Table (or partition) the index belongs to (pg_stat_user_indexes.relname).';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.index_name IS 'Index name (pg_stat_user_indexes.indexrelname).';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.idx_scan IS 'Index scans started on this index.';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.idx_tup_read IS 'Index entries returned by scans of this index.';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.idx_tup_fetch IS 'Live table rows fetched by simple index scans of this index.';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.efficiency_rate IS 'idx_tup_fetch / idx_tup_read in percent, 2 decimals; NULL when the index was never read. Bitmap scans read without fetching, so a low rate is not by itself bad.';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.index_size_bytes IS 'On-disk size of the index in bytes.';
COMMENT ON COLUMN ses_monitoring.index_usage_stats.is_unique IS 'True for a unique index (keep it even if never scanned: it enforces a constraint).';

GRANT SELECT ON ses_monitoring.index_usage_stats TO bbase_operator, bbase_readonly;
