-- depends: 0176_zengin_diff_id_rule
-- Four eyes on the database login, and least privilege for the sync role.
--
-- Why: the approval rule compared the names passed as arguments, so one
-- login could create a diff naming a colleague as creator and approve it
-- itself, and the sync role could stage a snapshot, diff it and relay an
-- approval for it. A diff now records the login (session_user) that created,
-- approved and rejected it, set by trigger tg_diffs__enforce_transition and
-- tg_diffs__set_defaults whatever the caller passes; the same login may not
-- create and approve one diff (ZG021). The sync role keeps only what relaying
-- DynamoDB's decisions needs (docs/sync.md): it no longer stages snapshots or
-- writes zengin.diffs columns; zengin_sync.record_published records where a
-- pending diff's body went instead.
-- zengin.approve_diff now returns the diff's status (approved, or expired
-- when its ttl had passed): a new return type, so the old function is
-- dropped here and the replay creates the new one.

ALTER TABLE zengin.diffs
ADD COLUMN created_session_user text,
ADD COLUMN approved_session_user text,
ADD COLUMN rejected_session_user text;

COMMENT ON COLUMN zengin.diffs.created_session_user IS
'Database login (session_user) that inserted the diff, set by trigger tg_diffs__set_defaults whatever the INSERT says (bbase_sync''s login for a record adopted from DynamoDB). That login may not approve the diff (ZG021). NULL for diffs created before migration 0177.';
COMMENT ON COLUMN zengin.diffs.approved_session_user IS
'Database login (session_user) that approved the diff, set by trigger tg_diffs__enforce_transition (the sync''s login when the approval was relayed from DynamoDB); never the creating login. Fixed once set.';
COMMENT ON COLUMN zengin.diffs.rejected_session_user IS
'Database login (session_user) that rejected the diff, set by trigger tg_diffs__enforce_transition (the sync''s login when the rejection was relayed from DynamoDB). Fixed once set.';
COMMENT ON COLUMN zengin.diffs.created_by IS
'Who created the diff, as named by the creator, in canonical form (zengin.normalize_identity); may not approve it. The login that really did is created_session_user.';
COMMENT ON COLUMN zengin.diffs.approved_by IS
'Who approved it, as named in the approval, in canonical form (zengin.normalize_identity); never the creator (ZG013). Fixed once set; the login is approved_session_user.';
COMMENT ON COLUMN zengin.diffs.approved_at IS 'When it was approved (set by the trigger, not by the caller). Fixed once set.';
COMMENT ON COLUMN zengin.diffs.rejected_by IS
'Who rejected it, as named in the rejection, in canonical form (zengin.normalize_identity). Fixed once set; the login is rejected_session_user.';
COMMENT ON COLUMN zengin.diffs.rejected_at IS 'When it was rejected (set by the trigger, not by the caller). Fixed once set.';
COMMENT ON COLUMN zengin.diffs.reject_reason IS 'Why it was rejected. Fixed once set.';
COMMENT ON COLUMN zengin.diffs.data_location IS
'S3 URI of the full record when it is too large for DynamoDB: set once, while the diff is pending, by zengin_sync.record_published (or on adoption); fixed afterwards (ZG016).';
COMMENT ON COLUMN zengin.diffs.data_size IS
'Size in bytes of the record stored at data_location; set with it, fixed afterwards (ZG016).';
COMMENT ON COLUMN zengin.diffs.ttl IS
'Expiry as epoch seconds, 90 days after creation (DynamoDB TTL attribute). A pending diff past it cannot be approved: zengin.approve_diff expires it on the spot (ZG020); zengin.expire_stale_diffs expires the rest.';

UPDATE zengin.diff_statuses
SET description = 'Nobody decided within its ttl (90 days); set by zengin.expire_stale_diffs, or by zengin.approve_diff when asked to approve it too late.'
WHERE status = 'expired';
UPDATE zengin.diff_transitions
SET description = 'zengin.approve_diff (a named approver other than the creator, from another login, within the ttl).'
WHERE from_status = 'pending' AND to_status = 'approved';
UPDATE zengin.diff_transitions
SET description = 'zengin.expire_stale_diffs past the ttl, or zengin.approve_diff asked too late.'
WHERE from_status = 'pending' AND to_status = 'expired';

-- The sync role relays decisions; it does not stage snapshots or write diffs.
-- (sql/schemas/zengin.sql no longer grants these; an upgraded database loses them here.)
REVOKE INSERT ON zengin.snapshots, zengin.snapshot_banks, zengin.snapshot_branches FROM bbase_sync;
REVOKE UPDATE (source_version, bank_count, branch_count, orphan_branch_files, orphan_bank_codes)
ON zengin.snapshots FROM bbase_sync;
REVOKE UPDATE (data_location, data_size) ON zengin.diffs FROM bbase_sync;

DROP FUNCTION IF EXISTS zengin.approve_diff(text, text);

-- Decisions reach the sync only through zengin_sync.apply_record (SECURITY
-- DEFINER); the direct grants go (the function files no longer make them).
DO $$
BEGIN
    IF pg_catalog.to_regprocedure('zengin.reject_diff(text, text, text)') IS NOT NULL THEN
        REVOKE EXECUTE ON FUNCTION zengin.reject_diff(text, text, text) FROM bbase_sync;
    END IF;
    IF pg_catalog.to_regprocedure('zengin.expire_stale_diffs()') IS NOT NULL THEN
        REVOKE EXECUTE ON FUNCTION zengin.expire_stale_diffs() FROM bbase_sync;
    END IF;
END
$$;
