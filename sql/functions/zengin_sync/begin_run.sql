-- Why: two sync runs must never work at once. The run takes a session-level
-- advisory lock (held until finish_run or until its connection ends, so a
-- killed process frees it), marks runs that died as abandoned and clears
-- what they staged. A session lock needs a session of its own: through a
-- transaction-mode pooler the next client of the server connection would hold
-- it too, so the sync connects directly (bbase.connection, session=True).
CREATE OR REPLACE FUNCTION zengin_sync.begin_run(p_mode text)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_run_id bigint;
    v_holder integer;
BEGIN
    IF NOT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('zengin_sync.run')) THEN
        SELECT r.backend_pid INTO v_holder
        FROM zengin_sync.runs AS r
        WHERE r.state = 'running'
        ORDER BY r.id DESC
        LIMIT 1;
        RAISE EXCEPTION 'another sync run holds the lock (backend pid %)', coalesce(v_holder::text, 'unknown')
            USING ERRCODE = 'ZS001',
                  DETAIL = format('lock=zengin_sync.run holder_pid=%s', coalesce(v_holder::text, 'unknown')),
                  HINT = 'Wait for that run to finish; the next scheduled run picks up anything left.';
    END IF;
    UPDATE zengin_sync.runs
    SET state = 'abandoned',
        finished_at = now(),
        error = coalesce(error, 'the process ended before finishing the run')
    WHERE state = 'running';
    DELETE FROM zengin_sync.staged_records;
    INSERT INTO zengin_sync.runs (mode) VALUES (p_mode) RETURNING id INTO v_run_id;
    RETURN v_run_id;
END
$$;

COMMENT ON FUNCTION zengin_sync.begin_run(text) IS
'Start a sync run in mode incremental or full: take the run lock (raises ZS001 when another run holds it), mark dead runs abandoned, clear their staging. Returns the run id.';
GRANT EXECUTE ON FUNCTION zengin_sync.begin_run(text) TO bbase_sync;
