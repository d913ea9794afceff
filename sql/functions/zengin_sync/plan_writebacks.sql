-- requires: sql/functions/zengin_sync/desired_fields.sql
-- Why: the write-back step of a sync run (docs/sync.md). What DynamoDB should say about each diff it
-- holds is derived from zengin.diffs; every record whose last-seen state
-- differs gets an outbox row (unless the record is gone from DynamoDB), conditional on the status last seen. The plan
-- is recomputed from state each run, so a run killed mid-way loses nothing.
CREATE OR REPLACE FUNCTION zengin_sync.plan_writebacks()
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_pending integer;
BEGIN
    WITH wanted AS (
        SELECT w.diff_id
        FROM zengin_sync.remote_records AS w
        JOIN zengin.diffs AS d ON d.id = w.diff_id
        WHERE w.gone_at IS NULL
          AND NOT (w.observed @> zengin_sync.desired_fields(d.status, d.approved_by, d.approved_at,
            d.rejected_by, d.rejected_at, d.reject_reason, d.executed_at, d.execution_result))
    )
    DELETE FROM zengin_sync.writebacks AS wb
    WHERE NOT EXISTS (SELECT FROM wanted AS x WHERE x.diff_id = wb.diff_id);

    INSERT INTO zengin_sync.writebacks AS wb (diff_id, remote_timestamp, expected_status, new_values)
    SELECT x.diff_id, x.remote_timestamp, x.remote_status, x.desired
    FROM (
        SELECT r.diff_id, r.remote_timestamp, r.remote_status, r.observed,
            zengin_sync.desired_fields(d.status, d.approved_by, d.approved_at, d.rejected_by,
                d.rejected_at, d.reject_reason, d.executed_at, d.execution_result) AS desired
        FROM zengin_sync.remote_records AS r
        JOIN zengin.diffs AS d ON d.id = r.diff_id
        WHERE r.gone_at IS NULL
    ) AS x
    WHERE NOT (x.observed @> x.desired)
    ON CONFLICT (diff_id) DO UPDATE SET
        remote_timestamp = excluded.remote_timestamp,
        expected_status = excluded.expected_status,
        new_values = excluded.new_values
    WHERE (wb.remote_timestamp, wb.expected_status, wb.new_values)
        IS DISTINCT FROM (excluded.remote_timestamp, excluded.expected_status, excluded.new_values);

    SELECT count(*) INTO v_pending FROM zengin_sync.writebacks;
    RETURN v_pending;
END
$$;

COMMENT ON FUNCTION zengin_sync.plan_writebacks() IS
'Recompute the write-back outbox: one zengin_sync.writebacks row per diff whose DynamoDB record (as last seen) does not yet say what zengin.diffs says (status, approvedBy/At, rejectedBy/At, rejectReason, executedAt, executionResult); rows no longer needed are removed. Returns the number of write-backs outstanding.';
GRANT EXECUTE ON FUNCTION zengin_sync.plan_writebacks() TO bbase_sync;
