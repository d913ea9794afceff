-- requires: sql/functions/zengin_sync/observed_fields.sql
-- Why: once bbase publish has written a record (or found it already
-- written), the sync must know it is there and what it says.
CREATE OR REPLACE FUNCTION zengin_sync.record_published(p_plain jsonb)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    INSERT INTO zengin_sync.remote_records AS r (
        diff_id, remote_timestamp, remote_status, observed, fingerprint, published_at
    ) VALUES (
        p_plain ->> 'id', p_plain ->> 'timestamp', p_plain ->> 'status',
        zengin_sync.observed_fields(p_plain), pg_catalog.md5(p_plain::text), now()
    )
    ON CONFLICT (diff_id) DO UPDATE SET published_at = coalesce(r.published_at, excluded.published_at);
END
$$;

COMMENT ON FUNCTION zengin_sync.record_published(jsonb) IS
'Record that the DynamoDB item p_plain (plain JSON, as written by bbase publish) exists: its key, status and fingerprint become the last-seen state.';
GRANT EXECUTE ON FUNCTION zengin_sync.record_published(jsonb) TO bbase_sync;
