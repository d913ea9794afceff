-- requires: sql/functions/zengin_sync/observed_fields.sql
-- Why: a conditional write that DynamoDB accepted leaves the outbox, and the
-- record as DynamoDB now holds it becomes the last-seen state, so the next
-- pull finds it unchanged.
CREATE OR REPLACE FUNCTION zengin_sync.complete_writeback(p_diff_id text, p_plain jsonb)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    DELETE FROM zengin_sync.writebacks WHERE diff_id = p_diff_id;
    UPDATE zengin_sync.remote_records
    SET remote_status = p_plain ->> 'status',
        observed = zengin_sync.observed_fields(p_plain),
        fingerprint = pg_catalog.md5(p_plain::text),
        updated_at = now()
    WHERE diff_id = p_diff_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'diff % has no DynamoDB record known to the sync', p_diff_id
            USING ERRCODE = 'ZS003',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'Run bbase sync; it records what DynamoDB holds before writing back.';
    END IF;
END
$$;

COMMENT ON FUNCTION zengin_sync.complete_writeback(text, jsonb) IS
'Record a write-back DynamoDB accepted: drop the outbox row and store the item as returned (plain JSON) as the last-seen state. Raises ZS003 when the diff has no known DynamoDB record.';
GRANT EXECUTE ON FUNCTION zengin_sync.complete_writeback(text, jsonb) TO bbase_sync;
