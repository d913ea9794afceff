-- depends: 0050_sync_tables
-- Records that disappeared from DynamoDB (TTL expiry after 90 days, or deleted).
--
-- Why: a pending diff's ttl passes in PostgreSQL (expire_stale_diffs) about
-- when DynamoDB's TTL deletes its record. A write-back to a deleted record
-- is refused forever; the sync notes the record as gone instead, stops
-- writing to it and does not publish it again.

ALTER TABLE zengin_sync.remote_records ADD COLUMN gone_at timestamptz;

COMMENT ON COLUMN zengin_sync.remote_records.gone_at IS
'When a write-back found the record no longer in DynamoDB (TTL expiry or deletion); no write-back is planned while set. Cleared when the record is seen again.';
