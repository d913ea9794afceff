-- depends: 0187_ses_event_outbox
-- SES event consumers (design document: イベントベース関連性). The outbox
-- (0187) is never updated; what each consumer has done with each event is
-- kept apart, in ses_common.event_handlings, one row per consumer and event.
-- The row is written by a trigger on the outbox in the transaction that
-- records the event, so a consumer's queue is a plain table it claims from
-- with FOR UPDATE SKIP LOCKED: no scan of the outbox for "not yet handled",
-- and no contention between consumers (each claims only its own rows).
-- Consumers are data (ses_common.event_consumers): name, handler function,
-- the event types it takes, attempts and backoff; ses_common.consume_events
-- calls the handler in a subtransaction per event and records the outcome.
-- Reference data: the notifications consumer (notification_context) and the
-- reports consumer (report_context), the in-app channel, the templates and
-- rules for ProjectOrdered, ContractSigned, TimesheetSubmitted and
-- InvoiceIssued.

CREATE TABLE ses_common.event_consumers (
    consumer text PRIMARY KEY,
    handler_schema name NOT NULL,
    handler_name name NOT NULL,
    event_types text[],
    max_attempts integer NOT NULL DEFAULT 5,
    backoff_base interval NOT NULL DEFAULT '30 seconds',
    backoff_max interval NOT NULL DEFAULT '6 hours',
    is_active boolean NOT NULL DEFAULT TRUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_consumers_consumer_format CHECK (consumer ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT event_consumers_handler_schema_format CHECK (handler_schema ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT event_consumers_handler_name_format CHECK (handler_name ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT event_consumers_max_attempts_range CHECK (max_attempts BETWEEN 1 AND 100),
    CONSTRAINT event_consumers_backoff_positive CHECK (
        backoff_base >= '0 seconds' AND backoff_max >= backoff_base
    )
);

COMMENT ON TABLE ses_common.event_consumers IS
'Consumers of the SES event outbox: each gets its own queue of events in ses_common.event_handlings, filled when an event is recorded (and, for events recorded before the consumer existed, when it is registered).';
COMMENT ON COLUMN ses_common.event_consumers.consumer IS 'Consumer name, snake_case (notifications, reports); the --consumer of bbase ses events.';
COMMENT ON COLUMN ses_common.event_consumers.handler_schema IS 'Schema of the handler function.';
COMMENT ON COLUMN ses_common.event_consumers.handler_name IS 'Handler function, called as <schema>.<name>(event jsonb) once per event with to_jsonb of its ses_common.event_outbox row; an error it raises is a failed attempt.';
COMMENT ON COLUMN ses_common.event_consumers.event_types IS 'Event types queued for the consumer; NULL = every event.';
COMMENT ON COLUMN ses_common.event_consumers.max_attempts IS 'Attempts before an event ends DEAD for this consumer.';
COMMENT ON COLUMN ses_common.event_consumers.backoff_base IS 'Wait after the first failed attempt; doubled after each further one.';
COMMENT ON COLUMN ses_common.event_consumers.backoff_max IS 'Longest wait between two attempts.';
COMMENT ON COLUMN ses_common.event_consumers.created_at IS 'When the consumer was registered.';
COMMENT ON COLUMN ses_common.event_consumers.is_active IS 'Whether new events are queued for the consumer and maintenance runs it.';

CREATE TABLE ses_common.event_handlings (
    consumer text NOT NULL REFERENCES ses_common.event_consumers (consumer) ON DELETE CASCADE,
    event_id uuid NOT NULL REFERENCES ses_common.event_outbox (event_id) ON DELETE CASCADE,
    event_type text NOT NULL,
    status text NOT NULL DEFAULT 'PENDING',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_error text,
    last_sqlstate text,
    handled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (consumer, event_id),
    CONSTRAINT event_handlings_status_known CHECK (status IN ('PENDING', 'DONE', 'RETRY', 'DEAD')),
    CONSTRAINT event_handlings_attempts_nonnegative CHECK (attempts >= 0),
    CONSTRAINT event_handlings_done_has_time CHECK ((status = 'DONE') = (handled_at IS NOT NULL)),
    CONSTRAINT event_handlings_failure_has_error CHECK (status NOT IN ('RETRY', 'DEAD') OR last_error IS NOT NULL)
);

CREATE INDEX event_handlings_due_idx
ON ses_common.event_handlings (consumer, next_attempt_at) WHERE status IN ('PENDING', 'RETRY');
CREATE INDEX event_handlings_dead_idx
ON ses_common.event_handlings (consumer, updated_at) WHERE status = 'DEAD';
CREATE INDEX event_handlings_event_id_idx ON ses_common.event_handlings (event_id);

COMMENT ON TABLE ses_common.event_handlings IS
'What each consumer has done with each event: one row per consumer and event, PENDING -> DONE, or RETRY (after a failed attempt, until next_attempt_at) -> DONE or DEAD (after the consumer''s max_attempts; retried only by ses_common.retry_dead_events).';
COMMENT ON COLUMN ses_common.event_handlings.consumer IS 'Consumer (ses_common.event_consumers).';
COMMENT ON COLUMN ses_common.event_handlings.event_id IS 'Event (ses_common.event_outbox.event_id).';
COMMENT ON COLUMN ses_common.event_handlings.event_type IS 'Copy of the event''s type, for reading dead letters without a join.';
COMMENT ON COLUMN ses_common.event_handlings.status IS 'PENDING (never tried), DONE, RETRY (failed, tried again from next_attempt_at) or DEAD (failed max_attempts times).';
COMMENT ON COLUMN ses_common.event_handlings.attempts IS 'Failed and successful attempts so far.';
COMMENT ON COLUMN ses_common.event_handlings.next_attempt_at IS 'Earliest time the consumer takes the event (again).';
COMMENT ON COLUMN ses_common.event_handlings.last_error IS 'Message of the last failed attempt.';
COMMENT ON COLUMN ses_common.event_handlings.last_sqlstate IS 'SQLSTATE of the last failed attempt.';
COMMENT ON COLUMN ses_common.event_handlings.handled_at IS 'When the handler succeeded (DONE only).';
COMMENT ON COLUMN ses_common.event_handlings.created_at IS 'When the event was queued for the consumer.';
COMMENT ON COLUMN ses_common.event_handlings.updated_at IS 'Last change of status (claim outcome, retry, dead letter).';

REVOKE ALL ON ses_common.event_consumers, ses_common.event_handlings FROM PUBLIC;
GRANT SELECT ON ses_common.event_consumers, ses_common.event_handlings TO ses_admin_role;

INSERT INTO ses_common.event_consumers (consumer, handler_schema, handler_name, event_types) VALUES
('notifications', 'notification_context', 'notify_event',
    ARRAY['ProjectOrdered', 'ContractSigned', 'TimesheetSubmitted', 'InvoiceIssued']),
('reports', 'report_context', 'record_event_statistics', NULL);

-- Events recorded before the consumers existed are queued too.
INSERT INTO ses_common.event_handlings (consumer, event_id, event_type, next_attempt_at)
SELECT c.consumer, o.event_id, o.event_type, o.occurred_at
FROM ses_common.event_outbox AS o
INNER JOIN ses_common.event_consumers AS c
    ON c.event_types IS NULL OR o.event_type = ANY(c.event_types);

-- Reference data. The SES tables have forced row-level security (0180), and
-- on a fresh install the owner's maintenance policy is created only after the
-- migrations (by the post-install replay), so the owner lifts FORCE for the
-- three tables while it writes their reference rows, in this transaction.
ALTER TABLE notification_context.notification_channels NO FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_templates NO FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_rules NO FORCE ROW LEVEL SECURITY;

-- The notifications consumer: the in-app channel, a template and a rule per event.

INSERT INTO notification_context.notification_channels (id, channel_type, name, config)
VALUES ('5e5e0188-0000-4000-8000-000000000001', 'IN_APP', 'In-app', '{}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO notification_context.notification_templates
    (id, template_code, notification_type, channel_type, locale, subject_template, body_template)
VALUES
('5e5e0188-0000-4000-8000-000000000101', 'PROJECT_ORDERED', 'PROJECT_ORDERED', 'IN_APP', 'ja-JP',
    '案件が受注されました', '案件 {{aggregate_id}} が受注されました。'),
('5e5e0188-0000-4000-8000-000000000102', 'CONTRACT_SIGNED', 'CONTRACT_SIGNED', 'IN_APP', 'ja-JP',
    '契約が締結されました', '契約 {{aggregate_id}} が締結されました。'),
('5e5e0188-0000-4000-8000-000000000103', 'TIMESHEET_SUBMITTED', 'TIMESHEET_SUBMITTED', 'IN_APP', 'ja-JP',
    '勤怠が提出されました', '勤怠 {{aggregate_id}} が提出されました。承認してください。'),
('5e5e0188-0000-4000-8000-000000000104', 'INVOICE_ISSUED', 'INVOICE_ISSUED', 'IN_APP', 'ja-JP',
    '請求書が発行されました', '請求書 {{aggregate_id}} が発行されました。');

INSERT INTO notification_context.notification_rules
    (id, name, event_type, notification_type, template_id, channel_id, recipient_selector, priority_level)
VALUES
('5e5e0188-0000-4000-8000-000000000201', 'Project ordered: tell the project manager', 'ProjectOrdered',
    'PROJECT_ORDERED', '5e5e0188-0000-4000-8000-000000000101', '5e5e0188-0000-4000-8000-000000000001',
    '{"project_users": ["project_manager_id", "sales_manager_id"]}', 3),
('5e5e0188-0000-4000-8000-000000000202', 'Contract signed: tell the sales manager', 'ContractSigned',
    'CONTRACT_SIGNED', '5e5e0188-0000-4000-8000-000000000102', '5e5e0188-0000-4000-8000-000000000001',
    '{"project_users": ["sales_manager_id", "project_manager_id"]}', 3),
('5e5e0188-0000-4000-8000-000000000203', 'Timesheet submitted: ask the approver', 'TimesheetSubmitted',
    'TIMESHEET_SUBMITTED', '5e5e0188-0000-4000-8000-000000000103', '5e5e0188-0000-4000-8000-000000000001',
    '{"project_users": ["project_manager_id"], "payload_users": ["approver_id"]}', 4),
('5e5e0188-0000-4000-8000-000000000204', 'Invoice issued: tell finance', 'InvoiceIssued',
    'INVOICE_ISSUED', '5e5e0188-0000-4000-8000-000000000104', '5e5e0188-0000-4000-8000-000000000001',
    '{"project_users": ["sales_manager_id"], "payload_users": ["finance_user_id"]}', 3);

ALTER TABLE notification_context.notification_channels FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_templates FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_rules FORCE ROW LEVEL SECURITY;
