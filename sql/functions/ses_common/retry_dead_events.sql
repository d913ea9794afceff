-- Why: a dead letter is an event a consumer gave up on (the handler failed
-- max_attempts times, e.g. a rule naming a deleted template). Once the cause
-- is fixed, the operator puts the events back in the queue, all of the
-- consumer's or one, and the next consume_events takes them. Idempotent: an
-- event that is not DEAD is left alone, so a second call retries nothing.
CREATE OR REPLACE FUNCTION ses_common.retry_dead_events(p_consumer text, p_event_id uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    IF NOT EXISTS (SELECT FROM ses_common.event_consumers AS c WHERE c.consumer = p_consumer) THEN
        PERFORM bbase.raise_invalid('SE161', 'p_consumer', p_consumer,
            'not a consumer in ses_common.event_consumers');
    END IF;
    UPDATE ses_common.event_handlings AS h
    SET status = 'RETRY', attempts = 0, next_attempt_at = pg_catalog.clock_timestamp(),
        updated_at = pg_catalog.clock_timestamp()
    WHERE h.consumer = p_consumer AND h.status = 'DEAD'
      AND (p_event_id IS NULL OR h.event_id = p_event_id);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION ses_common.retry_dead_events(text, uuid) IS
'Put the DEAD events of consumer p_consumer (only p_event_id when given) back in its queue as RETRY with attempts reset to 0, due now; last_error is kept until the next attempt. Returns how many; events not DEAD are left alone (a second call returns 0). SE161 unknown consumer.';

REVOKE EXECUTE ON FUNCTION ses_common.retry_dead_events(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.retry_dead_events(text, uuid) TO bbase_operator;
