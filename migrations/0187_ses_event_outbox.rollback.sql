-- Roll back the SES event outbox.
DROP FUNCTION IF EXISTS ses_common.emit_event(text, name, text, uuid, jsonb);
DROP TABLE ses_common.event_outbox;
