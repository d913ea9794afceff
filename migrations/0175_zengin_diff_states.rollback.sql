-- Roll back the state machine tables: the status CHECK of migration 0011 returns.
ALTER TABLE zengin.diffs
DROP CONSTRAINT diffs_status_known,
ADD CONSTRAINT diffs_status_known CHECK (
    status IN ('pending', 'approved', 'rejected', 'expired', 'executing', 'completed', 'failed')
);

COMMENT ON TABLE zengin.diffs IS
'Diff records awaiting or past approval, one row per DynamoDB record (design document layout; zengin.export_diff gives the JSON). Single changes carry zengin_data/current_data/changes; bulk_update diffs carry data_summary and their items in zengin.diff_items. Status changes only along the state machine (trigger tg_diffs__enforce_transition).';
COMMENT ON COLUMN zengin.diffs.status IS 'pending, approved, rejected, expired, executing, completed or failed (see the state machine).';

DROP TABLE zengin.diff_transitions;
DROP TABLE zengin.diff_statuses;
