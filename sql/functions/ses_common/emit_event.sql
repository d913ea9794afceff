-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: every SES event goes through one door, so its shape is checked in one
-- place and it always lands in the transaction of the change that caused it.
-- It is called only by trigger functions and workflow functions owned by the
-- schema owner (no role is granted EXECUTE): a role cannot announce a change
-- it did not make. Bad arguments are a programming error in the caller and
-- get SE160 naming the argument.
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
    IF p_event_type IS NULL OR p_event_type !~ '^[A-Z][A-Za-z]{2,63}$' THEN
        PERFORM bbase.raise_invalid('SE160', 'p_event_type', p_event_type,
            'an event type is a PascalCase name such as ProjectOrdered');
    END IF;
    IF p_source_context IS NULL OR p_source_context !~ '^[a-z]+_context$' THEN
        PERFORM bbase.raise_invalid('SE160', 'p_source_context', p_source_context,
            'the source is an SES context schema such as project_context');
    END IF;
    IF p_aggregate_type IS NULL OR p_aggregate_type !~ '^[a-z][a-z_]{1,62}$' THEN
        PERFORM bbase.raise_invalid('SE160', 'p_aggregate_type', p_aggregate_type,
            'the aggregate type is a snake_case noun such as project');
    END IF;
    IF p_aggregate_id IS NULL THEN
        PERFORM bbase.raise_invalid('SE160', 'p_aggregate_id', p_aggregate_id::text, 'the changed row''s id is required');
    END IF;
    IF p_payload IS NULL OR pg_catalog.jsonb_typeof(p_payload) <> 'object' THEN
        PERFORM bbase.raise_invalid('SE160', 'p_payload', p_payload::text, 'the payload is a JSON object');
    END IF;

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
