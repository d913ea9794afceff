-- Roll back the SES event consumers.
DROP FUNCTION IF EXISTS ses_common.consume_events(text, integer);
DROP FUNCTION IF EXISTS ses_common.retry_dead_events(text, uuid);
DROP FUNCTION IF EXISTS notification_context.notify_event(ses_common.event_outbox);
DROP FUNCTION IF EXISTS report_context.record_event_statistics(ses_common.event_outbox);
DROP FUNCTION IF EXISTS ses_common.tg_event_outbox__queue_handlings() CASCADE;
SELECT pg_catalog.set_config('ses_common.maintenance', 'on', true);
DELETE FROM report_context.kpi_values WHERE kpi_definition_id = '5e5e0188-0000-4000-8000-000000000301';
DELETE FROM report_context.kpi_definitions WHERE id = '5e5e0188-0000-4000-8000-000000000301';
DELETE FROM notification_context.notification_rules WHERE id::text LIKE '5e5e0188-%';
DELETE FROM notification_context.notification_templates WHERE id::text LIKE '5e5e0188-%';
DELETE FROM notification_context.notification_channels WHERE id::text LIKE '5e5e0188-%';
DROP TABLE ses_common.event_handlings;
DROP TABLE ses_common.event_consumers;
