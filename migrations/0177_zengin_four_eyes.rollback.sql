-- Roll back 0177: the login columns go, the sync role's former table grants
-- return; zengin.approve_diff is dropped so the older replay can recreate it
-- with its former return type (void).
DROP FUNCTION IF EXISTS zengin.approve_diff(text, text);

ALTER TABLE zengin.diffs
DROP COLUMN created_session_user,
DROP COLUMN approved_session_user,
DROP COLUMN rejected_session_user;

GRANT INSERT ON zengin.snapshots, zengin.snapshot_banks, zengin.snapshot_branches TO bbase_sync;
GRANT UPDATE (source_version, bank_count, branch_count, orphan_branch_files, orphan_bank_codes)
ON zengin.snapshots TO bbase_sync;
GRANT UPDATE (data_location, data_size) ON zengin.diffs TO bbase_sync;

UPDATE zengin.diff_statuses
SET description = 'Nobody decided within its ttl (90 days); set by zengin.expire_stale_diffs.'
WHERE status = 'expired';
UPDATE zengin.diff_transitions
SET description = 'zengin.approve_diff (a named approver other than the creator).'
WHERE from_status = 'pending' AND to_status = 'approved';
UPDATE zengin.diff_transitions
SET description = 'zengin.expire_stale_diffs, past the ttl.'
WHERE from_status = 'pending' AND to_status = 'expired';
