-- depends: 0175_zengin_diff_states
-- The diff id format diff-YYYYMMDD-NNN, in one function.
--
-- Why: the format was written out in the CHECK diffs_id_format, in the sync's
-- record validation and in the id generator's comments. zengin.is_diff_id is
-- now the rule: the CHECK calls it, zengin_sync.check_record calls it, and
-- zengin.next_diff_ids makes ids that satisfy it. It lives here, not under
-- sql/, because a constraint depends on it (versioned DDL never depends on a
-- replaceable object), and changing the rule means revalidating the rows,
-- which only a migration can do. A single-expression SQL function with a
-- standard body, so it is parsed once and can be inlined.

CREATE FUNCTION zengin.is_diff_id(p_id text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN p_id ~ '^diff-[0-9]{8}-[0-9]{3,}$';

COMMENT ON FUNCTION zengin.is_diff_id(text) IS
'True when p_id is a diff id: diff-YYYYMMDD-NNN, the creation day (UTC) and a per-day sequence of at least 3 digits (zengin.next_diff_ids makes them); NULL for NULL. The rule behind the CHECK diffs_id_format and zengin_sync.check_record.';

GRANT EXECUTE ON FUNCTION zengin.is_diff_id(text) TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

ALTER TABLE zengin.diffs
DROP CONSTRAINT diffs_id_format,
ADD CONSTRAINT diffs_id_format CHECK (zengin.is_diff_id(id));

COMMENT ON COLUMN zengin.diffs.id IS
'diff-YYYYMMDD-NNN (rule: zengin.is_diff_id): creation day (UTC) and a per-day sequence of at least 3 digits (DynamoDB partition key).';
