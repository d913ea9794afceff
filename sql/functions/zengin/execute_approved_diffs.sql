-- requires: sql/functions/zengin/apply_diff.sql, sql/functions/zengin/create_change_history_partitions.sql
-- Why: approved diffs are applied in one call, each atomically (a
-- subtransaction per diff): a failing diff ends failed with its reason, the
-- others still complete. Order cannot be left to creation order: a diff adding
-- branches needs its bank's addition, a diff deleting a bank needs its
-- branches gone. Diffs that add banks go first and diffs that delete banks
-- last; a diff that still hits a foreign key is retried after the others, and
-- fails only when a whole round makes no progress. Each diff row is locked
-- (FOR UPDATE SKIP LOCKED, outside its subtransaction so the lock holds to
-- the end of the caller's transaction) before it is taken: a concurrent call
-- skips a diff another one is running instead of running it twice or waiting
-- on it, and zengin.apply_diff locks the master rows it checks.
CREATE OR REPLACE FUNCTION zengin.execute_approved_diffs()
RETURNS TABLE (diff_id text, status text, rows_affected integer, error text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_queue text[];
    v_retry text[];
    v_id text;
    v_rows integer;
    v_start timestamptz;
    v_progress boolean;
    v_last_round boolean := false;
    v_state text;
    v_message text;
    v_detail text;
BEGIN
    -- History rows need their month's partition; create it if maintenance lagged.
    PERFORM zengin.create_change_history_partitions(1);

    SELECT pg_catalog.array_agg(d.id ORDER BY
        EXISTS (SELECT FROM zengin.diff_items AS i
                WHERE i.diff_id = d.id AND i.target = 'bank' AND i.diff_type = 'addition') DESC,
        EXISTS (SELECT FROM zengin.diff_items AS i
                WHERE i.diff_id = d.id AND i.target = 'bank' AND i.diff_type = 'deletion'),
        d.timestamp, d.id)
    INTO v_queue
    FROM zengin.diffs AS d
    WHERE d.status = 'approved';

    WHILE pg_catalog.cardinality(v_queue) > 0 LOOP
        v_retry := '{}';
        v_progress := false;
        FOREACH v_id IN ARRAY v_queue LOOP
            PERFORM FROM zengin.diffs AS d
            WHERE d.id = v_id AND d.status = 'approved'
            FOR UPDATE SKIP LOCKED;
            IF NOT FOUND THEN
                CONTINUE;  -- taken by a concurrent execution (running or done)
            END IF;
            v_start := pg_catalog.clock_timestamp();
            BEGIN
                UPDATE zengin.diffs AS d SET status = 'executing'
                WHERE d.id = v_id AND d.status = 'approved';
                PERFORM pg_catalog.set_config('zengin.diff_id', v_id, true);
                v_rows := zengin.apply_diff(v_id);
                UPDATE zengin.diffs AS d
                SET status = 'completed',
                    executed_at = pg_catalog.clock_timestamp(),
                    execution_result = pg_catalog.jsonb_build_object(
                        'success', true, 'rowsAffected', v_rows,
                        'executionTime', pg_catalog.round((pg_catalog.date_part('epoch',
                            pg_catalog.clock_timestamp() - v_start) * 1000)::numeric, 3))
                WHERE d.id = v_id;
                v_progress := true;
                diff_id := v_id;
                status := 'completed';
                rows_affected := v_rows;
                error := NULL;
                RETURN NEXT;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE,
                    v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
                IF v_state = '23503' AND NOT v_last_round THEN
                    v_retry := v_retry || v_id;  -- depends on a diff later in the queue
                ELSE
                    UPDATE zengin.diffs AS d SET status = 'executing' WHERE d.id = v_id;
                    UPDATE zengin.diffs AS d
                    SET status = 'failed',
                        executed_at = pg_catalog.clock_timestamp(),
                        execution_result = pg_catalog.jsonb_build_object(
                            'success', false, 'rowsAffected', 0,
                            'executionTime', pg_catalog.round((pg_catalog.date_part('epoch',
                                pg_catalog.clock_timestamp() - v_start) * 1000)::numeric, 3),
                            'error', v_message, 'sqlstate', v_state, 'detail', v_detail,
                            'conflict', v_state = 'ZG014')
                    WHERE d.id = v_id;
                    diff_id := v_id;
                    status := 'failed';
                    rows_affected := 0;
                    error := v_message;
                    RETURN NEXT;
                END IF;
            END;
        END LOOP;
        IF NOT v_progress THEN
            v_last_round := true;  -- one more round records the failures
        END IF;
        v_queue := v_retry;
    END LOOP;
    PERFORM pg_catalog.set_config('zengin.diff_id', '', true);
END
$$;

COMMENT ON FUNCTION zengin.execute_approved_diffs() IS
'Apply every approved diff not locked by a concurrent call (each diff row is locked FOR UPDATE SKIP LOCKED until the transaction ends, so no diff runs twice), each atomically in its own subtransaction (approved -> executing -> completed | failed), in dependency order whatever the creation order (bank additions first, bank deletions last, foreign-key failures retried after the rest). The rows a diff updates or deletes are locked before its conflict check, so a concurrent manual edit is waited for and then fails the diff with ZG014, never overwritten. A failed diff (conflict ZG014, foreign key, validation) keeps the master untouched and records error, sqlstate and detail in execution_result. Returns one row per diff: id, final status, rows affected, error. Changes are recorded in zengin.change_history with the diff id.';

-- Operators call it; the sync job runs it only through zengin_sync.execute_approved().
REVOKE EXECUTE ON FUNCTION zengin.execute_approved_diffs() FROM PUBLIC, bbase_sync;
GRANT EXECUTE ON FUNCTION zengin.execute_approved_diffs() TO bbase_operator;
