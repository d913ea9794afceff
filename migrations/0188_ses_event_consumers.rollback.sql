-- Roll back the SES event consumers.
DROP FUNCTION IF EXISTS ses_common.consume_events(text, integer);
DROP FUNCTION IF EXISTS ses_common.retry_dead_events(text, uuid);
DROP FUNCTION IF EXISTS notification_context.notify_event(jsonb);
DROP FUNCTION IF EXISTS report_context.record_event_statistics(jsonb);
DROP FUNCTION IF EXISTS ses_common.tg_event_outbox__queue_handlings() CASCADE;
-- The reference rows really go (allow_purge: not a soft delete), so that
-- applying 0188 again can insert them; the channel stays while deliveries,
-- subscriptions or rules of its own name it (0188 then leaves it as it is).
DO $$
BEGIN
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', TRUE);
    PERFORM pg_catalog.set_config('ses_common.allow_purge', 'on', TRUE);
END
$$;
DELETE FROM notification_context.notification_rules WHERE id::text LIKE '5e5e0188-%';
DELETE FROM notification_context.notification_templates WHERE id::text LIKE '5e5e0188-%';
DELETE FROM notification_context.notification_channels AS c
WHERE c.id = '5e5e0188-0000-4000-8000-000000000001'
    AND NOT EXISTS (SELECT FROM notification_context.notification_deliveries AS d WHERE d.channel_id = c.id)
    AND NOT EXISTS (SELECT FROM notification_context.notification_subscriptions AS s WHERE s.channel_id = c.id)
    AND NOT EXISTS (SELECT FROM notification_context.notification_rules AS r WHERE r.channel_id = c.id);
DROP TABLE ses_common.event_handlings;
DROP TABLE ses_common.event_consumers;
