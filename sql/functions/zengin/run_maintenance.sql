-- requires: sql/functions/zengin/create_change_history_partitions.sql
-- requires: sql/functions/zengin/enforce_change_history_retention.sql, sql/functions/zengin/expire_stale_diffs.sql
-- Why: one call for the scheduled job (or an operator) to keep the Zengin
-- schema healthy: partitions ahead, history retention, stale diffs expired.
-- Its arguments are bounded where they are used (0..12 months ahead, a
-- retention of at least one year), so no call can drop current history or
-- flood the catalog with partitions.
CREATE OR REPLACE FUNCTION zengin.run_maintenance(
    p_months_ahead integer DEFAULT 3,
    p_keep interval DEFAULT interval '1 year'
)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_created text[];
    v_dropped text[];
    v_expired integer;
BEGIN
    SELECT coalesce(pg_catalog.array_agg(c.name), '{}')
    INTO v_created
    FROM zengin.create_change_history_partitions(p_months_ahead) AS c (name);
    SELECT coalesce(pg_catalog.array_agg(d.name), '{}')
    INTO v_dropped
    FROM zengin.enforce_change_history_retention(p_keep) AS d (name);
    v_expired := zengin.expire_stale_diffs();
    RETURN pg_catalog.jsonb_build_object(
        'partitionsCreated', v_created, 'partitionsDropped', v_dropped, 'diffsExpired', v_expired);
END
$$;

COMMENT ON FUNCTION zengin.run_maintenance(integer, interval) IS
'Scheduled maintenance: create change_history partitions p_months_ahead (0..12, default 3) months ahead, drop partitions older than p_keep (default and minimum one year), expire stale diffs. An argument out of range is refused with ZG017 naming it and its value. Returns {partitionsCreated, partitionsDropped, diffsExpired}.';

-- The sync job runs the defaults through zengin_sync.run_maintenance() (and
-- bbase.run_maintenance()); it has no use for the arguments.
REVOKE EXECUTE ON FUNCTION zengin.run_maintenance(integer, interval) FROM PUBLIC, bbase_sync;
GRANT EXECUTE ON FUNCTION zengin.run_maintenance(integer, interval) TO bbase_operator;
