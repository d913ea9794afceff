-- Why: the notifications consumer. Which events become which notifications,
-- for whom and on which channel, is data (notification_rules, templates,
-- channels, subscriptions), so changing it needs no code. For each active
-- rule of the event's type whose conditions the payload contains
-- (payload @> conditions): one notification rendered from the rule's
-- template ({{field}} replaced by the payload's field, or by the event's
-- event_type, aggregate_type, aggregate_id), its recipients (the selector's
-- "users", the payload fields named in "payload_users", and the columns
-- project_manager_id / sales_manager_id named in "project_users" of the
-- event's project: the aggregate of a project event, else the payload's
-- project_id or projectId; the only cross-context read, by id; and with
-- "subscribers": true every user subscribed to the rule's notification type,
-- for events that concern a role rather than a project, e.g. finance), and
-- one PENDING delivery per recipient and channel (the rule's channel and the
-- channels the recipient subscribed to for the notification type). Sending
-- is outside the database: the sender takes PENDING deliveries and records
-- the outcome and retries in the delivery row. Called only by
-- ses_common.consume_events (which opens the maintenance policy); an error
-- here is a failed attempt, retried and then a dead letter. The event comes
-- as to_jsonb of its ses_common.event_outbox row (a jsonb parameter, so a
-- context installed without the outbox still installs this file).
CREATE OR REPLACE FUNCTION notification_context.notify_event(p_event jsonb)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_rule record;
    v_template notification_context.notification_templates;
    v_title text;
    v_body text;
    v_field record;
    v_recipients uuid [];
    v_notification_id uuid;
    v_created_at timestamptz;
    v_project_id uuid;
    v_event_id uuid := (p_event ->> 'event_id')::uuid;
    v_event_type text := p_event ->> 'event_type';
    v_source_context text := p_event ->> 'source_context';
    v_aggregate_type text := p_event ->> 'aggregate_type';
    v_aggregate_id uuid := (p_event ->> 'aggregate_id')::uuid;
    v_payload jsonb := p_event -> 'payload';
BEGIN
    -- The event's project: the aggregate of a project event, else the payload's
    -- project_id (projectId in camelCase payloads).
    v_project_id := CASE WHEN v_aggregate_type = 'project' THEN v_aggregate_id
        ELSE coalesce(v_payload ->> 'project_id', v_payload ->> 'projectId')::uuid END;
    FOR v_rule IN
        SELECT r.* FROM notification_context.notification_rules AS r
        WHERE r.event_type = v_event_type AND r.is_active AND r.deleted_at IS NULL
          AND v_payload @> r.conditions
        ORDER BY r.id
    LOOP
        SELECT t.* INTO v_template FROM notification_context.notification_templates AS t
        WHERE t.id = v_rule.template_id AND t.is_active AND t.deleted_at IS NULL;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'notification rule % (%) has no active template', v_rule.id, v_rule.name
                USING ERRCODE = 'SE163',
                      DETAIL = pg_catalog.format('rule_id=%s template_id=%s', v_rule.id, v_rule.template_id),
                      HINT = 'Give the rule an active template, then retry the dead events: SELECT ses_common.retry_dead_events(''notifications'');';
        END IF;

        v_title := coalesce(v_template.subject_template, v_template.template_code);
        v_body := v_template.body_template;
        FOR v_field IN
            SELECT e.key, e.value FROM pg_catalog.jsonb_each_text(v_payload || pg_catalog.jsonb_build_object(
                'event_type', v_event_type, 'aggregate_type', v_aggregate_type,
                'aggregate_id', v_aggregate_id)) AS e
        LOOP
            v_title := pg_catalog.replace(v_title, '{{' || v_field.key || '}}', coalesce(v_field.value, ''));
            v_body := pg_catalog.replace(v_body, '{{' || v_field.key || '}}', coalesce(v_field.value, ''));
        END LOOP;

        SELECT coalesce(pg_catalog.array_agg(DISTINCT u.id ORDER BY u.id), '{}') INTO v_recipients
        FROM (
            SELECT s.value::uuid AS id
            FROM pg_catalog.jsonb_array_elements_text(
                coalesce(v_rule.recipient_selector -> 'users', '[]')) AS s (value)
            UNION
            SELECT (v_payload ->> f.name)::uuid
            FROM pg_catalog.jsonb_array_elements_text(
                coalesce(v_rule.recipient_selector -> 'payload_users', '[]')) AS f (name)
            WHERE v_payload ->> f.name IS NOT NULL
            UNION
            SELECT CASE f.name
                    WHEN 'project_manager_id' THEN p.project_manager_id
                    WHEN 'sales_manager_id' THEN p.sales_manager_id
                END
            FROM pg_catalog.jsonb_array_elements_text(
                coalesce(v_rule.recipient_selector -> 'project_users', '[]')) AS f (name)
            INNER JOIN project_context.projects AS p ON p.id = v_project_id
            UNION
            SELECT s.user_id
            FROM notification_context.notification_subscriptions AS s
            WHERE v_rule.recipient_selector -> 'subscribers' = 'true'::jsonb
              AND s.notification_type = v_rule.notification_type AND s.is_enabled AND s.deleted_at IS NULL
        ) AS u
        WHERE u.id IS NOT NULL;

        INSERT INTO notification_context.notifications AS n
            (notification_type, source_context, source_entity, source_id, template_id, title, body,
             payload, recipient_users, priority_level, dedup_key)
        VALUES (v_rule.notification_type, v_source_context, v_aggregate_type,
                v_aggregate_id, v_template.id, v_title, v_body,
                v_payload || pg_catalog.jsonb_build_object('event_id', v_event_id,
                                                                 'event_type', v_event_type),
                pg_catalog.to_jsonb(v_recipients), v_rule.priority_level,
                v_event_id::text || ':' || v_rule.id::text)
        RETURNING n.id, n.created_at INTO v_notification_id, v_created_at;

        INSERT INTO notification_context.notification_deliveries
            (notification_id, notification_created_at, channel_id, recipient_user_id, status)
        SELECT DISTINCT v_notification_id, v_created_at, ch.id, r.id, 'PENDING'
        FROM pg_catalog.unnest(v_recipients) AS r (id)
        INNER JOIN notification_context.notification_channels AS ch
            ON ch.is_active AND ch.deleted_at IS NULL
           AND (ch.id = v_rule.channel_id OR EXISTS (
                SELECT FROM notification_context.notification_subscriptions AS s
                WHERE s.user_id = r.id AND s.channel_id = ch.id AND s.is_enabled AND s.deleted_at IS NULL
                  AND s.notification_type = v_rule.notification_type));
    END LOOP;
END
$$;

COMMENT ON FUNCTION notification_context.notify_event(jsonb) IS
'Handler of the notifications event consumer (called by ses_common.consume_events only): for each active rule of the event''s type whose conditions the payload contains, one notification rendered from the rule''s template ({{field}} = payload field, or event_type / aggregate_type / aggregate_id), recipients = recipient_selector users + the payload fields named in payload_users + the project_manager_id / sales_manager_id named in project_users of the event''s project (aggregate of a project event, else payload project_id or projectId) + with "subscribers": true the users subscribed to the rule''s notification type, and one PENDING delivery per recipient and channel (the rule''s channel and the recipient''s subscriptions to the type). SE163 when a rule has no active template.';

REVOKE EXECUTE ON FUNCTION notification_context.notify_event(jsonb) FROM PUBLIC;
-- No EXECUTE grant: only ses_common.consume_events (running as the owner) calls it.
