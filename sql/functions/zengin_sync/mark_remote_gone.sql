-- Why: a write-back refused because the record no longer exists in DynamoDB
-- (TTL expiry, deletion) can never succeed; it is dropped and the record
-- noted as gone, so the job does not report it as refused run after run.
CREATE OR REPLACE FUNCTION zengin_sync.mark_remote_gone(p_diff_id text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    UPDATE zengin_sync.remote_records SET gone_at = now(), updated_at = now()
    WHERE diff_id = p_diff_id AND gone_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'diff % has no DynamoDB record known to the sync', p_diff_id
            USING ERRCODE = 'ZS003',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'Run bbase sync; it records what DynamoDB holds before writing back.';
    END IF;
    DELETE FROM zengin_sync.writebacks WHERE diff_id = p_diff_id;
END
$$;

COMMENT ON FUNCTION zengin_sync.mark_remote_gone(text) IS
'Note that the DynamoDB record of p_diff_id no longer exists (TTL expiry or deletion): set remote_records.gone_at and drop its outstanding write-back. Raises ZS003 when the diff has no known DynamoDB record.';
GRANT EXECUTE ON FUNCTION zengin_sync.mark_remote_gone(text) TO bbase_sync;
