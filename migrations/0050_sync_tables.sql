-- depends: 0001_bbase_foundation
-- The DynamoDB/S3 sync job's own tables (schema zengin_sync).
--
-- Why: the scheduled job (bbase sync) moves diff records between DynamoDB and
-- zengin.diffs. Everything it needs to be restartable lives here: a run log,
-- the staging table it COPYs pulled records into, what it last saw in
-- DynamoDB per diff, a quarantine for malformed records and an outbox of
-- write-backs. No foreign key points into zengin: the sync may see records
-- PostgreSQL does not know yet, and retention may remove diffs before the
-- DynamoDB TTL removes their records.

CREATE SCHEMA zengin_sync;

COMMENT ON SCHEMA zengin_sync IS
'The DynamoDB/S3 sync job: run log, staging, last-seen remote state, quarantine and write-back outbox.';

CREATE TABLE zengin_sync.runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mode text NOT NULL CHECK (mode IN ('incremental', 'full')),
    state text NOT NULL DEFAULT 'running'
    CHECK (state IN ('running', 'succeeded', 'incomplete', 'failed', 'abandoned')),
    backend_pid integer NOT NULL DEFAULT pg_backend_pid(),
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    counts jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(counts) = 'object'),
    error text,
    CHECK ((state = 'running') = (finished_at IS NULL))
);

COMMENT ON TABLE zengin_sync.runs IS
'One row per bbase sync run. A run killed before it finished is marked abandoned by the next run.';
COMMENT ON COLUMN zengin_sync.runs.id IS 'Run number; staged records carry it.';
COMMENT ON COLUMN zengin_sync.runs.mode IS 'incremental (query StatusIndex per status) or full (parallel scan of the table).';
COMMENT ON COLUMN zengin_sync.runs.state IS 'running, succeeded (all done), incomplete (something left for the next run), failed (error), abandoned (the process died).';
COMMENT ON COLUMN zengin_sync.runs.backend_pid IS 'Backend holding the run lock, for finding a stuck run.';
COMMENT ON COLUMN zengin_sync.runs.started_at IS 'When the run took the lock.';
COMMENT ON COLUMN zengin_sync.runs.finished_at IS 'When the run ended; NULL while running.';
COMMENT ON COLUMN zengin_sync.runs.counts IS 'Counts reported by the run: pulled, merged, quarantined, executed, written_back, refused.';
COMMENT ON COLUMN zengin_sync.runs.error IS 'Why the run failed or is incomplete.';

CREATE TABLE zengin_sync.staged_records (
    run_id bigint NOT NULL REFERENCES zengin_sync.runs (id) ON DELETE CASCADE,
    seq integer NOT NULL CHECK (seq > 0),
    diff_id text,
    item jsonb NOT NULL,
    plain jsonb NOT NULL,
    body jsonb,
    body_error text,
    PRIMARY KEY (run_id, seq)
);

COMMENT ON TABLE zengin_sync.staged_records IS
'Records pulled from DynamoDB by one run, loaded with COPY; emptied when the run finishes or by the next run.';
COMMENT ON COLUMN zengin_sync.staged_records.run_id IS 'The run that pulled the record.';
COMMENT ON COLUMN zengin_sync.staged_records.seq IS 'Order in which the record was pulled (1, 2, …).';
COMMENT ON COLUMN zengin_sync.staged_records.diff_id IS 'The id attribute when it is a string, else NULL.';
COMMENT ON COLUMN zengin_sync.staged_records.item IS 'The item exactly as DynamoDB returned it (attribute-value JSON: {"id": {"S": …}, …}).';
COMMENT ON COLUMN zengin_sync.staged_records.plain IS 'The same item as plain JSON (S→string, N→number, M→object, L→array, BOOL, NULL).';
COMMENT ON COLUMN zengin_sync.staged_records.body IS 'For a record stored in S3 (dataLocation): the verified body, else NULL.';
COMMENT ON COLUMN zengin_sync.staged_records.body_error IS 'For a record stored in S3: why its body could not be used (missing, size or checksum mismatch, not JSON).';

CREATE TABLE zengin_sync.remote_records (
    diff_id text PRIMARY KEY,
    remote_timestamp text NOT NULL,
    remote_status text NOT NULL,
    observed jsonb NOT NULL CHECK (jsonb_typeof(observed) = 'object'),
    fingerprint text NOT NULL,
    published_at timestamptz,
    -- Records disappear from DynamoDB (TTL expiry after 90 days, or deletion) about
    -- when expire_stale_diffs expires them here; a write-back to a deleted record
    -- would be refused forever, so the sync notes it as gone and stops writing to it.
    gone_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE zengin_sync.remote_records IS
'Per diff, its DynamoDB record as last seen or written by the sync: the basis for skipping unchanged records and for conditional write-backs.';
COMMENT ON COLUMN zengin_sync.remote_records.diff_id IS 'Diff id (DynamoDB partition key id).';
COMMENT ON COLUMN zengin_sync.remote_records.remote_timestamp IS 'DynamoDB sort key timestamp, exactly as stored (needed to address the item).';
COMMENT ON COLUMN zengin_sync.remote_records.remote_status IS 'status attribute last seen in DynamoDB; write-backs are conditional on it.';
COMMENT ON COLUMN zengin_sync.remote_records.observed IS 'Reviewer/result attributes last seen in DynamoDB: status, approvedBy, approvedAt, rejectedBy, rejectedAt, rejectReason, executedAt, executionResult.';
COMMENT ON COLUMN zengin_sync.remote_records.fingerprint IS 'md5 of the plain item last seen; an unchanged fingerprint means nothing to merge.';
COMMENT ON COLUMN zengin_sync.remote_records.published_at IS 'When bbase publish wrote the record; NULL for records first seen in DynamoDB.';
COMMENT ON COLUMN zengin_sync.remote_records.gone_at IS
'When a write-back found the record no longer in DynamoDB (TTL expiry or deletion); no write-back is planned while set. Cleared when the record is seen again.';
COMMENT ON COLUMN zengin_sync.remote_records.updated_at IS 'When this row last changed.';

CREATE TABLE zengin_sync.quarantine (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    diff_id text,
    item jsonb NOT NULL,
    reason text NOT NULL,
    sqlstate text,
    fingerprint text NOT NULL UNIQUE,
    run_id bigint NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);

CREATE INDEX quarantine_diff_id_idx ON zengin_sync.quarantine (diff_id) WHERE resolved_at IS NULL;

COMMENT ON TABLE zengin_sync.quarantine IS
'Records pulled from DynamoDB that could not be applied, with the raw record and the reason. The same record is quarantined once; a later valid version of the diff resolves it.';
COMMENT ON COLUMN zengin_sync.quarantine.id IS 'Surrogate key.';
COMMENT ON COLUMN zengin_sync.quarantine.diff_id IS 'The id attribute when it is a string, else NULL.';
COMMENT ON COLUMN zengin_sync.quarantine.item IS 'The raw DynamoDB item (attribute-value JSON), as pulled.';
COMMENT ON COLUMN zengin_sync.quarantine.reason IS 'Why the record was not applied, naming the field and the value.';
COMMENT ON COLUMN zengin_sync.quarantine.sqlstate IS 'SQLSTATE when the state machine refused the record (e.g. a ZG code), else NULL.';
COMMENT ON COLUMN zengin_sync.quarantine.fingerprint IS 'md5 of the plain item and body error; the same bad record is kept once.';
COMMENT ON COLUMN zengin_sync.quarantine.run_id IS 'The run that first quarantined it.';
COMMENT ON COLUMN zengin_sync.quarantine.quarantined_at IS 'When it was first quarantined.';
COMMENT ON COLUMN zengin_sync.quarantine.resolved_at IS 'When a later valid version of the same diff was merged; NULL while open.';

CREATE TABLE zengin_sync.writebacks (
    diff_id text PRIMARY KEY,
    remote_timestamp text NOT NULL,
    expected_status text NOT NULL,
    new_values jsonb NOT NULL CHECK (jsonb_typeof(new_values) = 'object'),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text,
    last_attempt_at timestamptz,
    planned_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE zengin_sync.writebacks IS
'Outbox: DynamoDB updates still to make so the record matches PostgreSQL. A row leaves when the conditional write succeeds; a refused write stays and is retried next run.';
COMMENT ON COLUMN zengin_sync.writebacks.diff_id IS 'Diff id (DynamoDB partition key).';
COMMENT ON COLUMN zengin_sync.writebacks.remote_timestamp IS 'DynamoDB sort key of the item.';
COMMENT ON COLUMN zengin_sync.writebacks.expected_status IS 'The status DynamoDB must still hold for the write to be made (ConditionExpression).';
COMMENT ON COLUMN zengin_sync.writebacks.new_values IS 'Attributes to set: status, approvedBy, approvedAt, rejectedBy, rejectedAt, rejectReason, executedAt, executionResult.';
COMMENT ON COLUMN zengin_sync.writebacks.attempts IS 'Refused or failed attempts so far.';
COMMENT ON COLUMN zengin_sync.writebacks.last_error IS 'Why the last attempt was refused or failed.';
COMMENT ON COLUMN zengin_sync.writebacks.last_attempt_at IS 'When the last attempt was made.';
COMMENT ON COLUMN zengin_sync.writebacks.planned_at IS 'When the write was first planned.';

REVOKE ALL ON SCHEMA zengin_sync FROM PUBLIC;
