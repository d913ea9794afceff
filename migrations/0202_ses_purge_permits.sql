-- depends: 0196_ses_shared_event_trigger
-- The purge path of the soft delete was opened by a setting,
-- ses_common.allow_purge, and any session may set a custom setting: a role
-- with a DELETE grant and policy could SET LOCAL it and remove rows for good
-- (attendance of a submitted timesheet among them) instead of soft-deleting
-- them. A purge is now allowed by a row that only the owner can write: one
-- permit per transaction, written and removed by the owner's purge code
-- (ses_common.purge_deleted, ses_common.archive_old_data) and read by
-- ses_common.is_purge_permitted. No role has any privilege on the table.
CREATE TABLE ses_common.purge_permits (
    xact_id xid8 PRIMARY KEY DEFAULT pg_catalog.pg_current_xact_id(),
    granted_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);

COMMENT ON TABLE ses_common.purge_permits IS
'Purge permits: a row for a transaction lets its DELETEs on SES tables remove rows for good instead of soft-deleting them. Written and removed within the transaction by the owner''s purge code only (purge_deleted, archive_old_data); a superuser or the owner may insert one by hand for a manual purge. No role has privileges on it.';
COMMENT ON COLUMN ses_common.purge_permits.xact_id IS 'The transaction the permit is for (pg_current_xact_id()).';
COMMENT ON COLUMN ses_common.purge_permits.granted_at IS 'When the permit was written.';

REVOKE ALL ON ses_common.purge_permits FROM PUBLIC;
