-- Roll back the diff id rule function: the CHECK of migration 0011 returns.
ALTER TABLE zengin.diffs
DROP CONSTRAINT diffs_id_format,
ADD CONSTRAINT diffs_id_format CHECK (id ~ '^diff-[0-9]{8}-[0-9]{3,}$');

COMMENT ON COLUMN zengin.diffs.id IS 'diff-YYYYMMDD-NNN: creation day (UTC) and a per-day sequence of at least 3 digits (DynamoDB partition key).';

DROP FUNCTION zengin.is_diff_id(text);
