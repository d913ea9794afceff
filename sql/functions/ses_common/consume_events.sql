-- requires: sql/functions/bbase/raise_invalid.sql, sql/functions/notification_context/notify_event.sql, sql/functions/report_context/record_event_statistics.sql
-- Why: one loop for every consumer, so claiming, retrying and dead letters
-- work the same for all of them. Events are claimed from the consumer's own
-- queue with FOR UPDATE SKIP LOCKED: any number of sessions may consume at
-- once and each event is handled once per consumer (a claimed row stays
-- locked until the claiming transaction ends; the others skip it). Each
-- handler call runs in its own subtransaction: a failure undoes only that
-- event's work, is recorded with its message and SQLSTATE, and the event is
-- tried again after an exponential backoff (backoff_base * 2^(attempts-1),
-- at most backoff_max); after max_attempts it ends DEAD and stays out of the
-- way of the others. SECURITY DEFINER: the handlers write notification and
-- report rows no operator may write directly; the maintenance flag opens the
-- owner's row-level security policy for this transaction (0180). Keep
-- p_batch small: every claimed row is locked until the caller commits.
CREATE OR REPLACE FUNCTION ses_common.consume_events(p_consumer text, p_batch integer DEFAULT 100)
RETURNS TABLE (consumer text, claimed integer, done integer, retrying integer, dead integer)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_consumer record;
    v_handling record;
    v_call text;
    v_error text;
    v_sqlstate text;
    v_now timestamptz;
BEGIN
    IF p_batch IS NULL OR p_batch NOT BETWEEN 1 AND 10000 THEN
        PERFORM bbase.raise_invalid('SE162', 'p_batch', p_batch::text, 'between 1 and 10000 events');
    END IF;
    SELECT c.* INTO v_consumer FROM ses_common.event_consumers AS c WHERE c.consumer = p_consumer;
    IF NOT FOUND THEN
        PERFORM bbase.raise_invalid('SE161', 'p_consumer', p_consumer,
            'not a consumer in ses_common.event_consumers');
    END IF;
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    v_call := pg_catalog.format('SELECT %I.%I($1)', v_consumer.handler_schema, v_consumer.handler_name);
    consumer := v_consumer.consumer;
    claimed := 0;
    done := 0;
    retrying := 0;
    dead := 0;

    FOR v_handling IN
        SELECT h.event_id, h.attempts, pg_catalog.to_jsonb(o) AS event
        FROM ses_common.event_handlings AS h
        INNER JOIN ses_common.event_outbox AS o ON h.event_id = o.event_id
        WHERE h.consumer = v_consumer.consumer
          AND h.status IN ('PENDING', 'RETRY')
          AND h.next_attempt_at <= pg_catalog.clock_timestamp()
        ORDER BY h.next_attempt_at
        LIMIT p_batch
        FOR UPDATE OF h SKIP LOCKED
    LOOP
        claimed := claimed + 1;
        BEGIN
            EXECUTE v_call USING v_handling.event;
            v_error := NULL;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_error = MESSAGE_TEXT, v_sqlstate = RETURNED_SQLSTATE;
        END;
        v_now := pg_catalog.clock_timestamp();

        IF v_error IS NULL THEN
            UPDATE ses_common.event_handlings AS h
            SET status = 'DONE', attempts = h.attempts + 1, handled_at = v_now,
                updated_at = v_now
            WHERE h.consumer = v_consumer.consumer AND h.event_id = v_handling.event_id;
            done := done + 1;
        ELSIF v_handling.attempts + 1 >= v_consumer.max_attempts THEN
            UPDATE ses_common.event_handlings AS h
            SET status = 'DEAD', attempts = h.attempts + 1, last_error = pg_catalog.left(v_error, 2000), last_sqlstate = v_sqlstate,
                updated_at = v_now
            WHERE h.consumer = v_consumer.consumer AND h.event_id = v_handling.event_id;
            dead := dead + 1;
        ELSE
            UPDATE ses_common.event_handlings AS h
            SET status = 'RETRY', attempts = h.attempts + 1, last_error = pg_catalog.left(v_error, 2000), last_sqlstate = v_sqlstate,
                next_attempt_at = v_now + LEAST(v_consumer.backoff_max,
                    v_consumer.backoff_base * pg_catalog.power(2, LEAST(v_handling.attempts, 30))::double precision),
                updated_at = v_now
            WHERE h.consumer = v_consumer.consumer AND h.event_id = v_handling.event_id;
            retrying := retrying + 1;
        END IF;
    END LOOP;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION ses_common.consume_events(text, integer) IS
'Handle up to p_batch (1-10000) due events of consumer p_consumer (ses_common.event_consumers), each once: claimed with FOR UPDATE SKIP LOCKED (safe to run in several sessions at once), handler run in its own subtransaction; a failure is recorded (last_error, last_sqlstate) and retried after an exponential backoff, then DEAD after max_attempts. Returns one row: consumer, claimed, done, retrying, dead. claimed = 0 means nothing is due (or all due events are claimed by other sessions). SE161 unknown consumer, SE162 batch out of range. Run by bbase maintain and bbase ses events.';

REVOKE EXECUTE ON FUNCTION ses_common.consume_events(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.consume_events(text, integer) TO bbase_operator;
