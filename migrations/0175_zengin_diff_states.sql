-- depends: 0012_zengin_change_history
-- The diff state machine as data: the statuses and the allowed transitions.
--
-- Why: the statuses and their transitions were written out in six places
-- (the CHECK on zengin.diffs.status, the transition trigger, the expiry
-- function, the sync's validation, merge order and adoption rule, the glue's
-- list for DynamoDB queries) and had begun to drift. They are now rows of two
-- tables, read by everything that needs them: zengin.diffs.status references
-- zengin.diff_statuses (replacing the CHECK), the trigger
-- tg_diffs__enforce_transition allows exactly the pairs of
-- zengin.diff_transitions, and the sync and the glue read both.
-- Changing the state machine is a new migration that edits these rows.

CREATE TABLE zengin.diff_statuses (
    status text PRIMARY KEY,
    sync_may_adopt boolean NOT NULL DEFAULT false,
    description text NOT NULL,
    CONSTRAINT diff_statuses_status_format CHECK (status ~ '^[a-z_]+$')
);

COMMENT ON TABLE zengin.diff_statuses IS
'The statuses a diff can be in (the one list; zengin.diffs.status references it). The allowed changes between them are zengin.diff_transitions. Changed only by migrations.';
COMMENT ON COLUMN zengin.diff_statuses.status IS 'Status name as stored in zengin.diffs.status and in the DynamoDB record''s status attribute.';
COMMENT ON COLUMN zengin.diff_statuses.sync_may_adopt IS
'True when bbase sync may take over a DynamoDB record unknown to PostgreSQL that is in this status (it becomes a pending diff); a record in another status is quarantined with ZS010.';
COMMENT ON COLUMN zengin.diff_statuses.description IS 'What the status means.';

INSERT INTO zengin.diff_statuses (status, sync_may_adopt, description) VALUES
('pending', true, 'Created, waiting for a reviewer.'),
('approved', true, 'Approved by someone other than its creator; waiting for execution.'),
('rejected', true, 'Turned down by a reviewer, with a reason.'),
('expired', false, 'Nobody decided within its ttl (90 days); set by zengin.expire_stale_diffs.'),
('executing', false, 'Being applied by zengin.execute_approved_diffs (inside its transaction).'),
('completed', false, 'Applied to the master; execution_result says how many rows.'),
('failed', false, 'Execution failed (conflict, foreign key, validation); the master is untouched and execution_result says why.');

CREATE TABLE zengin.diff_transitions (
    from_status text NOT NULL REFERENCES zengin.diff_statuses (status) ON UPDATE CASCADE ON DELETE CASCADE,
    to_status text NOT NULL REFERENCES zengin.diff_statuses (status) ON UPDATE CASCADE ON DELETE CASCADE,
    description text NOT NULL,
    PRIMARY KEY (from_status, to_status),
    CONSTRAINT diff_transitions_changes_status CHECK (from_status <> to_status)
);

COMMENT ON TABLE zengin.diff_transitions IS
'The diff state machine: the only status changes zengin.diffs accepts (trigger tg_diffs__enforce_transition raises ZG011 for any other pair). Changed only by migrations.';
COMMENT ON COLUMN zengin.diff_transitions.from_status IS 'Status before the change.';
COMMENT ON COLUMN zengin.diff_transitions.to_status IS 'Status after the change.';
COMMENT ON COLUMN zengin.diff_transitions.description IS 'Who or what makes this change.';

INSERT INTO zengin.diff_transitions (from_status, to_status, description) VALUES
('pending', 'approved', 'zengin.approve_diff (a named approver other than the creator).'),
('pending', 'rejected', 'zengin.reject_diff (a named reviewer and a reason).'),
('pending', 'expired', 'zengin.expire_stale_diffs, past the ttl.'),
('approved', 'executing', 'zengin.execute_approved_diffs takes the diff.'),
('executing', 'completed', 'zengin.execute_approved_diffs applied it.'),
('executing', 'failed', 'zengin.execute_approved_diffs could not apply it.'),
('rejected', 'expired', 'zengin.expire_stale_diffs, past the ttl.');

ALTER TABLE zengin.diffs
DROP CONSTRAINT diffs_status_known,
ADD CONSTRAINT diffs_status_known FOREIGN KEY (status)
REFERENCES zengin.diff_statuses (status) ON UPDATE RESTRICT ON DELETE RESTRICT;

COMMENT ON TABLE zengin.diffs IS
'Diff records awaiting or past approval, one row per DynamoDB record (design document layout; zengin.export_diff gives the JSON). Single changes carry zengin_data/current_data/changes; bulk_update diffs carry data_summary and their items in zengin.diff_items. Status changes only along zengin.diff_transitions (trigger tg_diffs__enforce_transition).';
COMMENT ON COLUMN zengin.diffs.status IS 'One of zengin.diff_statuses; changes only along zengin.diff_transitions.';
