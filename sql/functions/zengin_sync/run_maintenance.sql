-- requires: sql/functions/zengin/run_maintenance.sql
-- Why: the maintain step of a sync run (docs/sync.md). The database's own upkeep runs with the job:
-- stale diffs expire, change_history gets its partitions ahead of time and
-- loses the ones past retention. It is zengin.run_maintenance with its
-- defaults, so the job and `bbase maintain` do the same and report it under
-- the same keys; this name stays for the job's role and its callers.
CREATE OR REPLACE FUNCTION zengin_sync.run_maintenance()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN zengin.run_maintenance();
END
$$;

COMMENT ON FUNCTION zengin_sync.run_maintenance() IS
'The sync job''s maintenance step: zengin.run_maintenance() with its defaults (change_history partitions 3 months ahead, retention 1 year, stale diffs expired). Returns the same keys: {partitionsCreated, partitionsDropped, diffsExpired}.';
GRANT EXECUTE ON FUNCTION zengin_sync.run_maintenance() TO bbase_sync;
