-- Why: a run ends by recording its counts, emptying its staging rows and
-- releasing the run lock, in that order.
CREATE OR REPLACE FUNCTION zengin_sync.finish_run(
    p_run_id bigint,
    p_state text,
    p_counts jsonb,
    p_error text DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    UPDATE zengin_sync.runs
    SET state = p_state,
        finished_at = now(),
        counts = coalesce(p_counts, '{}'::jsonb),
        error = p_error
    WHERE id = p_run_id AND state = 'running';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sync run % is not running', p_run_id
            USING ERRCODE = 'ZS002',
                  DETAIL = format('run_id=%s', p_run_id),
                  HINT = 'A later run marked it abandoned; start a new run.';
    END IF;
    DELETE FROM zengin_sync.staged_records WHERE run_id = p_run_id;
    PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('zengin_sync.run'));
END
$$;

COMMENT ON FUNCTION zengin_sync.finish_run(bigint, text, jsonb, text) IS
'End a sync run: record its state (succeeded, incomplete, failed) and counts, delete its staged records, release the run lock. Raises ZS002 when the run is not running.';
GRANT EXECUTE ON FUNCTION zengin_sync.finish_run(bigint, text, jsonb, text) TO bbase_sync;
