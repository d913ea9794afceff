-- Why: a consumer's queue must hold every event, in the transaction that
-- records it, so no event is lost between recording and consuming and a
-- consumer never has to search the outbox for what it has not handled (an
-- anti-join that grows with the outbox and that concurrent consumers would
-- race on). One PENDING row per active consumer whose event types include
-- the event. SECURITY DEFINER: the queue is written by no role directly.
CREATE OR REPLACE FUNCTION ses_common.tg_event_outbox__queue_handlings()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    INSERT INTO ses_common.event_handlings (consumer, event_id, event_type, next_attempt_at)
    SELECT c.consumer, NEW.event_id, NEW.event_type, NEW.occurred_at
    FROM ses_common.event_consumers AS c
    WHERE c.is_active AND (c.event_types IS NULL OR NEW.event_type = ANY(c.event_types));
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ses_common.tg_event_outbox__queue_handlings() IS
'Trigger function (AFTER INSERT on ses_common.event_outbox): queue the new event as PENDING in ses_common.event_handlings for every active consumer that takes its type.';

REVOKE EXECUTE ON FUNCTION ses_common.tg_event_outbox__queue_handlings() FROM PUBLIC;

-- A context installed alone has ses_common without the outbox (0187): then
-- there is nothing to attach to; the replay after 0187 attaches it.
DO $$
BEGIN
    IF pg_catalog.to_regclass('ses_common.event_outbox') IS NOT NULL THEN
        CREATE OR REPLACE TRIGGER tg_event_outbox__queue_handlings
        AFTER INSERT ON ses_common.event_outbox
        FOR EACH ROW EXECUTE FUNCTION ses_common.tg_event_outbox__queue_handlings();
    END IF;
END
$$;
