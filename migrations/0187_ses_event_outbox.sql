-- depends: 0185_ses_payee_transfers
-- The SES event outbox (design document: イベントベース関連性). A context's
-- state change and the event it causes are written in one transaction: the
-- event row is inserted by the trigger that sees the change, so there is no
-- event without its change and no change without its event. Consumers
-- (notifications, report rows) read the outbox later; their progress is kept
-- apart from the events, which are never updated.
CREATE TABLE ses_common.event_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL DEFAULT gen_random_uuid(),
    event_type text NOT NULL,
    source_context name NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id uuid NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    recorded_by name NOT NULL DEFAULT session_user,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT event_outbox_event_id_key UNIQUE (event_id),
    CONSTRAINT event_outbox_event_type_format CHECK (event_type ~ '^[A-Z][A-Za-z]{2,63}$'),
    CONSTRAINT event_outbox_source_context_format CHECK (source_context ~ '^[a-z]+_context$'),
    CONSTRAINT event_outbox_aggregate_type_format CHECK (aggregate_type ~ '^[a-z][a-z_]{1,62}$'),
    CONSTRAINT event_outbox_payload_object CHECK (jsonb_typeof(payload) = 'object')
);

CREATE INDEX event_outbox_aggregate_idx ON ses_common.event_outbox (aggregate_type, aggregate_id);
CREATE INDEX event_outbox_type_idx ON ses_common.event_outbox (event_type, id);

COMMENT ON TABLE ses_common.event_outbox IS
'SES domain events, one row per event, written by ses_common.emit_event in the transaction of the change that caused it (never updated or deleted by the application). Payloads carry ids, statuses and amounts, never personal data.';
COMMENT ON COLUMN ses_common.event_outbox.id IS 'Order of recording; consumers read in this order.';
COMMENT ON COLUMN ses_common.event_outbox.event_id IS 'Stable identity of the event, for consumers and idempotent handling.';
COMMENT ON COLUMN ses_common.event_outbox.event_type IS 'The document''s event name in PascalCase: ProjectOrdered, ContractSigned, TimesheetSubmitted, InvoiceIssued, MatchingCompleted, …';
COMMENT ON COLUMN ses_common.event_outbox.source_context IS 'Schema of the context whose change caused the event (e.g. project_context).';
COMMENT ON COLUMN ses_common.event_outbox.aggregate_type IS 'Kind of the changed row, snake_case singular (project, contract, timesheet, invoice, matching_result).';
COMMENT ON COLUMN ses_common.event_outbox.aggregate_id IS 'Id of the changed row.';
COMMENT ON COLUMN ses_common.event_outbox.payload IS 'What consumers need without reading the source again: ids, statuses, amounts (a JSON object; no personal data).';
COMMENT ON COLUMN ses_common.event_outbox.occurred_at IS 'When the change was made (clock time inside the transaction).';
COMMENT ON COLUMN ses_common.event_outbox.recorded_by IS 'Database login (session_user) whose transaction made the change.';
COMMENT ON COLUMN ses_common.event_outbox.transaction_id IS 'Transaction that made the change and the event (pg_current_xact_id()).';

REVOKE ALL ON ses_common.event_outbox FROM PUBLIC;
GRANT SELECT ON ses_common.event_outbox TO ses_admin_role;
