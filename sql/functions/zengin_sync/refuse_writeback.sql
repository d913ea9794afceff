-- Why: a write DynamoDB refused (the record changed there since it was last
-- seen) is never forced; it stays in the outbox with the reason and is
-- planned again, against the fresh state, by the next run.
CREATE OR REPLACE FUNCTION zengin_sync.refuse_writeback(p_diff_id text, p_error text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    UPDATE zengin_sync.writebacks
    SET attempts = attempts + 1,
        last_error = p_error,
        last_attempt_at = now()
    WHERE diff_id = p_diff_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no write-back outstanding for diff %', p_diff_id
            USING ERRCODE = 'ZS003',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'Write-backs come from zengin_sync.plan_writebacks().';
    END IF;
END
$$;

COMMENT ON FUNCTION zengin_sync.refuse_writeback(text, text) IS
'Record that DynamoDB refused (or failed) a write-back: count the attempt and keep the reason; the row stays for the next run. Raises ZS003 when no write-back is outstanding for the diff.';
GRANT EXECUTE ON FUNCTION zengin_sync.refuse_writeback(text, text) TO bbase_sync;
