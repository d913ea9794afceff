-- Why: step 5 of a sync run. The database's own upkeep runs with the job:
-- stale diffs expire, change_history gets its partitions ahead of time and
-- loses the ones past retention.
CREATE OR REPLACE FUNCTION zengin_sync.run_maintenance()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_expired integer;
    v_created text[];
    v_dropped text[];
BEGIN
    v_expired := zengin.expire_stale_diffs();
    SELECT coalesce(pg_catalog.array_agg(p.name), '{}') INTO v_created
    FROM zengin.create_change_history_partitions() AS p (name);
    SELECT coalesce(pg_catalog.array_agg(p.name), '{}') INTO v_dropped
    FROM zengin.enforce_change_history_retention() AS p (name);
    RETURN pg_catalog.jsonb_build_object(
        'expired', v_expired, 'partitionsCreated', v_created, 'partitionsDropped', v_dropped);
END
$$;

COMMENT ON FUNCTION zengin_sync.run_maintenance() IS
'The sync job''s maintenance step: zengin.expire_stale_diffs(), zengin.create_change_history_partitions() (3 months ahead), zengin.enforce_change_history_retention() (1 year). Returns {expired, partitionsCreated, partitionsDropped}.';
GRANT EXECUTE ON FUNCTION zengin_sync.run_maintenance() TO bbase_sync;
