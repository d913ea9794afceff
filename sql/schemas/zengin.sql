-- Schema-level settings for zengin (comment and grants). Replayed by bbase migrate.
-- Why: grants are not data, so they live here, idempotent; function grants sit with each function.
-- Each role gets what its job needs (docs/sync.md, docs/CONVENTIONS.md; the
-- whole matrix is held by tests/zengin/test_privileges.py):
--   bbase_operator stages snapshots (bbase zengin stage) and calls the functions
--   that diff, execute and maintain; bbase_reviewer and bbase_readonly read;
--   bbase_sync reads and relays DynamoDB's decisions through zengin_sync
--   functions. Nobody but the owner writes banks, branches, diffs or history
--   directly: the functions do, under the state machine's triggers.
COMMENT ON SCHEMA zengin IS
'Zengin bank/branch master data: live master, staged snapshots, diff records with their approval state machine, and the change history.';

GRANT USAGE ON SCHEMA zengin TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

-- Everyone reads the master, the diffs (and their state machine) and the history.
GRANT SELECT ON zengin.banks, zengin.branches, zengin.diffs, zengin.diff_items,
zengin.diff_statuses, zengin.diff_transitions,
zengin.snapshots, zengin.snapshot_banks, zengin.snapshot_branches, zengin.change_history
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

-- Operators stage snapshots (COPY) for zengin.diff_snapshot. The sync role
-- does not: a role that could stage and diff could also feed the master.
GRANT INSERT ON zengin.snapshots, zengin.snapshot_banks, zengin.snapshot_branches TO bbase_operator;
GRANT UPDATE (source_version, bank_count, branch_count, orphan_branch_files, orphan_bank_codes)
ON zengin.snapshots TO bbase_operator;
