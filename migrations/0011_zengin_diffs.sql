-- depends: 0010_zengin_master
-- Zengin diff records: the PostgreSQL mirror of the DynamoDB zengin-data-diff-{env} record.
--
-- Why: a diff is the unit people approve or reject. Its columns follow the
-- design document's DynamoDB record (the sync job maps them 1:1, see
-- zengin.export_diff); the items of a diff live in zengin.diff_items so that a
-- bulk_update can carry thousands of changes and execution stays set-based.
-- The state machine is enforced by trigger (sql/triggers/zengin/).
-- Items are always read by diff (the primary key's prefix). There is no index
-- on the record (target, bank_code, branch_code): diff_snapshot's "already in
-- an open diff" check is a hash anti-join that does not use one, and the
-- planner combined such an index with the primary key in a BitmapAnd that read
-- every entry for each executed diff. Codes use COLLATE "C" like the master.

CREATE TABLE zengin.diffs (
    id text PRIMARY KEY,
    timestamp timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'pending',
    diff_type text NOT NULL,
    target text,
    zengin_data jsonb,
    current_data jsonb,
    changes jsonb,
    created_by text NOT NULL,
    approved_by text,
    approved_at timestamptz,
    rejected_by text,
    rejected_at timestamptz,
    reject_reason text,
    executed_at timestamptz,
    execution_result jsonb,
    metadata jsonb NOT NULL DEFAULT '{}',
    ttl bigint,
    data_location text,
    data_size bigint,
    data_summary jsonb,
    snapshot_id bigint REFERENCES zengin.snapshots (id) ON DELETE SET NULL,
    updated_at timestamptz,
    CONSTRAINT diffs_id_format CHECK (id ~ '^diff-[0-9]{8}-[0-9]{3,}$'),
    CONSTRAINT diffs_status_known CHECK (
        status IN ('pending', 'approved', 'rejected', 'expired', 'executing', 'completed', 'failed')
    ),
    CONSTRAINT diffs_diff_type_known CHECK (diff_type IN ('addition', 'update', 'deletion', 'bulk_update')),
    CONSTRAINT diffs_target_known CHECK (
        (diff_type = 'bulk_update' AND target IS NULL)
        OR (diff_type <> 'bulk_update' AND target IN ('bank', 'branch'))
    )
);

COMMENT ON TABLE zengin.diffs IS
'Diff records awaiting or past approval, one row per DynamoDB record (design document layout; zengin.export_diff gives the JSON). Single changes carry zengin_data/current_data/changes; bulk_update diffs carry data_summary and their items in zengin.diff_items. Status changes only along the state machine (trigger tg_diffs__enforce_transition).';
COMMENT ON COLUMN zengin.diffs.id IS 'diff-YYYYMMDD-NNN: creation day (UTC) and a per-day sequence of at least 3 digits (DynamoDB partition key).';
COMMENT ON COLUMN zengin.diffs.timestamp IS 'Creation time (DynamoDB sort key; StatusIndex sort key).';
COMMENT ON COLUMN zengin.diffs.status IS 'pending, approved, rejected, expired, executing, completed or failed (see the state machine).';
COMMENT ON COLUMN zengin.diffs.diff_type IS 'addition, update, deletion (one record) or bulk_update (many items in zengin.diff_items).';
COMMENT ON COLUMN zengin.diffs.target IS 'bank or branch for a single-record diff; NULL for bulk_update.';
COMMENT ON COLUMN zengin.diffs.zengin_data IS 'The record as the new Zengin data has it (camelCase keys bankCode, bankName, bankKana, bankHira, bankRoma, branchCode, branchName, branchKana, branchHira, branchRoma); only the keys for a deletion.';
COMMENT ON COLUMN zengin.diffs.current_data IS 'The live record when the diff was made (same keys); NULL for an addition. Execution fails with a conflict when the live row no longer matches.';
COMMENT ON COLUMN zengin.diffs.changes IS 'For an update: {field: {old, new}} per changed field (camelCase field names).';
COMMENT ON COLUMN zengin.diffs.created_by IS 'Who created the diff; may not approve it.';
COMMENT ON COLUMN zengin.diffs.approved_by IS 'Who approved it (never the creator).';
COMMENT ON COLUMN zengin.diffs.approved_at IS 'When it was approved.';
COMMENT ON COLUMN zengin.diffs.rejected_by IS 'Who rejected it.';
COMMENT ON COLUMN zengin.diffs.rejected_at IS 'When it was rejected.';
COMMENT ON COLUMN zengin.diffs.reject_reason IS 'Why it was rejected.';
COMMENT ON COLUMN zengin.diffs.executed_at IS 'When execution finished (completed or failed).';
COMMENT ON COLUMN zengin.diffs.execution_result IS '{success, rowsAffected, executionTime (ms)} and, when failed, error, sqlstate and conflict details.';
COMMENT ON COLUMN zengin.diffs.metadata IS 'Free-form context: source, sourceVersion, snapshotId, …';
COMMENT ON COLUMN zengin.diffs.ttl IS 'Expiry as epoch seconds, 90 days after creation (DynamoDB TTL attribute); pending diffs past it are expired by zengin.expire_stale_diffs.';
COMMENT ON COLUMN zengin.diffs.data_location IS 'S3 URI of the full record when it is too large for DynamoDB (set by the sync job).';
COMMENT ON COLUMN zengin.diffs.data_size IS 'Size in bytes of the record stored at data_location (set by the sync job).';
COMMENT ON COLUMN zengin.diffs.data_summary IS 'For bulk_update: {totalRecords, additions, updates, deletions}.';
COMMENT ON COLUMN zengin.diffs.snapshot_id IS 'Snapshot the diff was computed from (NULL when made otherwise).';
COMMENT ON COLUMN zengin.diffs.updated_at IS 'When the record last changed (set by trigger).';

CREATE INDEX diffs_status_timestamp_idx ON zengin.diffs (status, timestamp);
CREATE INDEX diffs_snapshot_idx ON zengin.diffs (snapshot_id);

CREATE TABLE zengin.diff_items (
    diff_id text NOT NULL REFERENCES zengin.diffs (id) ON DELETE CASCADE,
    item_no integer NOT NULL,
    diff_type text NOT NULL,
    target text NOT NULL,
    bank_code text COLLATE "C" NOT NULL,
    branch_code text COLLATE "C",
    zengin_data jsonb,
    current_data jsonb,
    changes jsonb,
    PRIMARY KEY (diff_id, item_no),
    CONSTRAINT diff_items_diff_type_known CHECK (diff_type IN ('addition', 'update', 'deletion')),
    CONSTRAINT diff_items_target_known CHECK (
        (target = 'bank' AND branch_code IS NULL) OR (target = 'branch' AND branch_code IS NOT NULL)
    )
);

COMMENT ON TABLE zengin.diff_items IS
'The record changes of a diff: one item for a single diff (mirroring the diff row), many for a bulk_update. Execution applies a diff''s items set-based, all or none.';
COMMENT ON COLUMN zengin.diff_items.diff_id IS 'Diff the item belongs to (zengin.diffs).';
COMMENT ON COLUMN zengin.diff_items.item_no IS 'Position of the item within its diff, from 1.';
COMMENT ON COLUMN zengin.diff_items.diff_type IS 'addition, update or deletion.';
COMMENT ON COLUMN zengin.diff_items.target IS 'bank or branch.';
COMMENT ON COLUMN zengin.diff_items.bank_code IS 'Bank code of the record.';
COMMENT ON COLUMN zengin.diff_items.branch_code IS 'Branch code of the record (NULL for a bank).';
COMMENT ON COLUMN zengin.diff_items.zengin_data IS 'The record as the new data has it (camelCase keys as in zengin.diffs.zengin_data).';
COMMENT ON COLUMN zengin.diff_items.current_data IS 'The live record when the diff was made; NULL for an addition.';
COMMENT ON COLUMN zengin.diff_items.changes IS 'For an update: {field: {old, new}}.';

CREATE TABLE zengin.diff_day_counters (
    day date PRIMARY KEY,
    last_no integer NOT NULL CHECK (last_no >= 0)
);

COMMENT ON TABLE zengin.diff_day_counters IS
'Last diff sequence number used per UTC day, so diff ids (diff-YYYYMMDD-NNN) are gap-free per day and safe under concurrency.';
COMMENT ON COLUMN zengin.diff_day_counters.day IS 'UTC day of the diff ids.';
COMMENT ON COLUMN zengin.diff_day_counters.last_no IS 'Highest sequence number handed out that day.';
