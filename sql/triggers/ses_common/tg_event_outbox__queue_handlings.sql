-- Why: a consumer's queue must hold every event, in the transaction that
-- records it, so no event is lost between recording and consuming and a
-- consumer never has to search the outbox for what it has not handled (an
-- anti-join that grows with the outbox and that concurrent consumers would
-- race on). One PENDING row per active consumer whose event types include
-- the event. Once per statement (AFTER INSERT, transition table
-- new_events): a set-based emit (ses_common.emit_events, thousands of events
-- of a monthly close) queues them all in one insert instead of one per
-- event. SECURITY DEFINER: the queue is written by no role directly.
CREATE OR REPLACE FUNCTION ses_common.tg_event_outbox__queue_handlings()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- @plpgsql_check_options: newtable = new_events
    INSERT INTO ses_common.event_handlings (consumer, event_id, event_type, next_attempt_at)
    SELECT c.consumer, n.event_id, n.event_type, n.occurred_at
    FROM new_events AS n
    INNER JOIN ses_common.event_consumers AS c
        ON c.is_active AND (c.event_types IS NULL OR n.event_type = ANY(c.event_types))
    ORDER BY n.id, c.consumer;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ses_common.tg_event_outbox__queue_handlings() IS
'Trigger function (AFTER INSERT FOR EACH STATEMENT on ses_common.event_outbox, transition table new_events): queue each new event as PENDING in ses_common.event_handlings for every active consumer that takes its type.';

REVOKE EXECUTE ON FUNCTION ses_common.tg_event_outbox__queue_handlings() FROM PUBLIC;

-- A context installed alone has ses_common without the outbox (0187): then
-- there is nothing to attach to; the replay after 0187 attaches it.
DO $$
BEGIN
    IF pg_catalog.to_regclass('ses_common.event_outbox') IS NOT NULL THEN
        IF NOT EXISTS (
            SELECT FROM pg_catalog.pg_trigger AS t
            WHERE t.tgrelid = 'ses_common.event_outbox'::regclass AND t.tgname = 'tg_event_outbox__queue_handlings'
              AND t.tgnewtable = 'new_events'
        ) THEN
            DROP TRIGGER IF EXISTS tg_event_outbox__queue_handlings ON ses_common.event_outbox;
            CREATE TRIGGER tg_event_outbox__queue_handlings
            AFTER INSERT ON ses_common.event_outbox
            REFERENCING NEW TABLE AS new_events
            FOR EACH STATEMENT EXECUTE FUNCTION ses_common.tg_event_outbox__queue_handlings();
        END IF;
    END IF;
END
$$;
