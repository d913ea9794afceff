-- Why: events of the other contexts become notifications in one place. There
-- is no outbox yet: this inserts the notification row directly, addressed to
-- the live, enabled subscribers of its type (notification_subscriptions), and
-- carries the intended audience in the payload so a sender can route it to a
-- role when nobody subscribed. When an outbox arrives, this function is the
-- one thing to change. SECURITY DEFINER: callers (triggers of other
-- contexts) need no grant on notification_context.
-- The month's partition must exist (created ahead by maintenance); SE003
-- otherwise, which fails the caller's transaction rather than losing it.
CREATE OR REPLACE FUNCTION notification_context.enqueue_notification(
    p_notification_type text,
    p_source_context text,
    p_source_entity text,
    p_source_id uuid,
    p_title text,
    p_body text,
    p_payload jsonb,
    p_priority_level smallint,
    p_dedup_key text
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    -- The owner's maintenance policy under forced row-level security (the
    -- SES maintenance functions set the same flag).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    INSERT INTO notification_context.notifications (
        notification_type, source_context, source_entity, source_id, title, body, payload,
        recipient_users, priority_level, dedup_key)
    SELECT p_notification_type, p_source_context, p_source_entity, p_source_id, p_title, p_body,
        coalesce(p_payload, '{}'::jsonb),
        coalesce((SELECT pg_catalog.jsonb_agg(DISTINCT s.user_id::text)
                  FROM notification_context.notification_subscriptions AS s
                  WHERE s.notification_type = p_notification_type AND s.is_enabled AND s.deleted_at IS NULL),
                 '[]'::jsonb),
        p_priority_level, p_dedup_key
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

COMMENT ON FUNCTION notification_context.enqueue_notification(text, text, text, uuid, text, text, jsonb, smallint, text) IS
'Record a PENDING notification of p_notification_type from an event of another context, addressed to the enabled live subscribers of that type (recipient_users; [] when none, the payload''s audience then says who should get it). Returns its id. The one place events enter notification_context until an outbox exists.';

REVOKE ALL ON FUNCTION notification_context.enqueue_notification(text, text, text, uuid, text, text, jsonb, smallint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notification_context.enqueue_notification(text, text, text, uuid, text, text, jsonb, smallint, text)
TO ses_admin_role;
