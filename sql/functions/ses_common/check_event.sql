-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: every SES event goes through one door (ses_common.emit_event for one
-- event, ses_common.emit_events for many), so its shape is checked in one
-- place: this function. Bad arguments are a programming error in the caller
-- and get SE160 naming the argument.
-- Internal to the two emit functions (no grant).
CREATE OR REPLACE FUNCTION ses_common.check_event(
    p_event_type text,
    p_source_context text,
    p_aggregate_type text,
    p_aggregate_id uuid,
    p_payload jsonb
) RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SET search_path = ''
AS $$
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
END
$$;

COMMENT ON FUNCTION ses_common.check_event(text, text, text, uuid, jsonb) IS
'Raise SE160 naming the argument when an SES event is malformed: event type PascalCase, source an SES context schema, aggregate type snake_case, aggregate id present, payload a JSON object. Internal to ses_common.emit_event and ses_common.emit_events.';

REVOKE EXECUTE ON FUNCTION ses_common.check_event(text, text, text, uuid, jsonb) FROM PUBLIC;
