-- requires: sql/functions/ses_common/check_event.sql, sql/functions/bbase/raise_invalid.sql
-- Why: every SES event goes through one door, so its shape is checked in one
-- place and it always lands in the transaction of the change that caused it.
-- This is that door for any number of events in one insert (the monthly
-- close records thousands at once; ses_common.emit_event is its one-event
-- form, for triggers that see one change). It is called only by trigger
-- functions and workflow functions owned by the schema owner (no role is
-- granted EXECUTE): a role cannot announce a change it did not make. Each
-- event's shape is checked by ses_common.check_event (as emit_event checks
-- one) before anything is recorded: SE160 names the argument of the first
-- bad event.
CREATE OR REPLACE FUNCTION ses_common.emit_events(p_events jsonb)
RETURNS SETOF uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF p_events IS NULL OR pg_catalog.jsonb_typeof(p_events) <> 'array' THEN
        PERFORM bbase.raise_invalid('SE160', 'p_events', pg_catalog.left(p_events::text, 200),
            'the events are a JSON array of {event_type, source_context, aggregate_type, aggregate_id, payload}');
    END IF;
    PERFORM ses_common.check_event(e.event ->> 'event_type', e.event ->> 'source_context',
                                   e.event ->> 'aggregate_type', (e.event ->> 'aggregate_id')::uuid,
                                   e.event -> 'payload')
    FROM pg_catalog.jsonb_array_elements(p_events) WITH ORDINALITY AS e (event, ord)
    ORDER BY e.ord;

    RETURN QUERY
    INSERT INTO ses_common.event_outbox AS o (event_type, source_context, aggregate_type, aggregate_id, payload)
    SELECT e.event ->> 'event_type', (e.event ->> 'source_context')::name, e.event ->> 'aggregate_type',
           (e.event ->> 'aggregate_id')::uuid, e.event -> 'payload'
    FROM pg_catalog.jsonb_array_elements(p_events) WITH ORDINALITY AS e (event, ord)
    ORDER BY e.ord
    RETURNING o.event_id;
END
$$;

COMMENT ON FUNCTION ses_common.emit_events(jsonb) IS
'Record SES domain events in ses_common.event_outbox, in the caller''s transaction, given as a JSON array of {event_type, source_context, aggregate_type, aggregate_id, payload}; returns their event_ids. For trigger and workflow functions owned by the schema owner only (no role may call it). SE160 names the malformed argument of the first bad event, and nothing is recorded.';

REVOKE EXECUTE ON FUNCTION ses_common.emit_events(jsonb) FROM PUBLIC;
