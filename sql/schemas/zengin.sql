-- Schema-level settings for zengin (comment and grants). Replayed by bbase migrate.
-- Why: grants are not data, so they live here, idempotent; function grants sit with each function.
COMMENT ON SCHEMA zengin IS
'Zengin bank/branch master data: live master, staged snapshots, diff records with their approval state machine, and the change history.';

GRANT USAGE ON SCHEMA zengin TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

-- Everyone reads the master, the diffs (and their state machine) and the history.
GRANT SELECT ON zengin.banks, zengin.branches, zengin.diffs, zengin.diff_items,
zengin.diff_statuses, zengin.diff_transitions,
zengin.snapshots, zengin.snapshot_banks, zengin.snapshot_branches, zengin.change_history
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

-- The sync job stages snapshots (COPY) and records where it put large diffs in S3.
-- It does NOT write banks/branches or diff statuses: it calls the functions.
GRANT INSERT ON zengin.snapshots, zengin.snapshot_banks, zengin.snapshot_branches TO bbase_sync;
GRANT UPDATE (source_version, bank_count, branch_count, orphan_branch_files, orphan_bank_codes)
ON zengin.snapshots TO bbase_sync;
GRANT UPDATE (data_location, data_size) ON zengin.diffs TO bbase_sync;
