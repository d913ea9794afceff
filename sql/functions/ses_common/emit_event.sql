-- requires: sql/functions/ses_common/check_event.sql
-- Why: every SES event goes through one door, so its shape is checked in one
-- place and it always lands in the transaction of the change that caused it.
-- It is called only by trigger functions and workflow functions owned by the
-- schema owner (no role is granted EXECUTE): a role cannot announce a change
-- it did not make. Bad arguments are a programming error in the caller and
-- get SE160 naming the argument (ses_common.check_event, shared with
-- ses_common.emit_events, the door for many events at once).
CREATE OR REPLACE FUNCTION ses_common.emit_event(
    p_event_type text,
    p_source_context name,
    p_aggregate_type text,
    p_aggregate_id uuid,
    p_payload jsonb DEFAULT '{}'
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_event_id uuid;
BEGIN
    PERFORM ses_common.check_event(p_event_type, p_source_context, p_aggregate_type, p_aggregate_id, p_payload);
    INSERT INTO ses_common.event_outbox AS o
        (event_type, source_context, aggregate_type, aggregate_id, payload)
    VALUES (p_event_type, p_source_context, p_aggregate_type, p_aggregate_id, p_payload)
    RETURNING o.event_id INTO v_event_id;
    RETURN v_event_id;
END
$$;

COMMENT ON FUNCTION ses_common.emit_event(text, name, text, uuid, jsonb) IS
'Record one SES domain event in ses_common.event_outbox, in the caller''s transaction, and return its event_id. For trigger and workflow functions owned by the schema owner only (no role may call it). SE160 names a malformed argument.';

REVOKE EXECUTE ON FUNCTION ses_common.emit_event(text, name, text, uuid, jsonb) FROM PUBLIC;
