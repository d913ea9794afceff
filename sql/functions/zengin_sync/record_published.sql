-- requires: sql/functions/zengin_sync/observed_fields.sql
-- Why: once bbase publish has written a record (or found it already
-- written), the sync must know it is there and what it says. When the body
-- went to S3, the diff records where (data_location, data_size). This is the
-- only way the sync role writes to zengin.diffs itself (it has no UPDATE on
-- the table): once per diff, only while the diff is pending and has no
-- location yet, only a location in the diff's own key. A completed diff's
-- location can never be rewritten (the trigger on zengin.diffs refuses it too).
CREATE OR REPLACE FUNCTION zengin_sync.record_published(p_plain jsonb)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id text := p_plain ->> 'id';
BEGIN
    INSERT INTO zengin_sync.remote_records AS r (
        diff_id, remote_timestamp, remote_status, observed, fingerprint, published_at
    ) VALUES (
        v_id, p_plain ->> 'timestamp', p_plain ->> 'status',
        zengin_sync.observed_fields(p_plain), pg_catalog.md5(p_plain::text), now()
    )
    ON CONFLICT (diff_id) DO UPDATE SET published_at = coalesce(r.published_at, excluded.published_at);

    IF pg_catalog.jsonb_typeof(p_plain -> 'dataLocation') = 'string'
        AND pg_catalog.jsonb_typeof(p_plain -> 'dataSize') = 'number'
        AND (p_plain ->> 'dataLocation') ~ '^s3://[a-z0-9.-]+/diffs/[^/]+\.json$'
        AND pg_catalog.split_part(p_plain ->> 'dataLocation', '/diffs/', 2) = v_id || '.json'
        AND (p_plain ->> 'dataSize') ~ '^[0-9]{1,15}$' THEN
        UPDATE zengin.diffs AS d
        SET data_location = p_plain ->> 'dataLocation', data_size = (p_plain ->> 'dataSize')::bigint
        WHERE d.id = v_id AND d.status = 'pending' AND d.data_location IS NULL AND d.data_size IS NULL;
    END IF;
END
$$;

COMMENT ON FUNCTION zengin_sync.record_published(jsonb) IS
'Record that the DynamoDB item p_plain (plain JSON, as written by bbase publish) exists: its key, status and fingerprint become the last-seen state; when it names an S3 body (dataLocation s3://<bucket>/diffs/<id>.json, dataSize) and the diff is still pending without one, the diff''s data_location/data_size are set (once; never for a decided diff).';

REVOKE EXECUTE ON FUNCTION zengin_sync.record_published(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zengin_sync.record_published(jsonb) TO bbase_sync;
