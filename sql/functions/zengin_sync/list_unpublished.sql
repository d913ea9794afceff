-- requires: sql/functions/zengin/export_diff.sql
-- Why: bbase publish writes the pending diffs PostgreSQL computed to
-- DynamoDB; this says which ones are not there yet, in the record layout
-- (zengin.export_diff), with a dataSummary for bulk updates.
CREATE OR REPLACE FUNCTION zengin_sync.list_unpublished()
RETURNS SETOF jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN QUERY
    SELECT e.rec
        || CASE
            WHEN e.rec ? 'items' AND NOT e.rec ? 'dataSummary' THEN pg_catalog.jsonb_build_object(
                'dataSummary', (
                    SELECT pg_catalog.jsonb_build_object(
                        'totalRecords', count(*),
                        'additions', count(*) FILTER (WHERE i.value ->> 'diffType' = 'addition'),
                        'updates', count(*) FILTER (WHERE i.value ->> 'diffType' = 'update'),
                        'deletions', count(*) FILTER (WHERE i.value ->> 'diffType' = 'deletion'))
                    FROM pg_catalog.jsonb_array_elements(e.rec -> 'items') AS i))
            ELSE '{}'::jsonb
        END
    FROM zengin.diffs AS d
    CROSS JOIN LATERAL (SELECT zengin.export_diff(d.id) AS rec) AS e
    WHERE d.status = 'pending'
      AND NOT EXISTS (SELECT FROM zengin_sync.remote_records AS r WHERE r.diff_id = d.id)
    ORDER BY d.timestamp, d.id;
END
$$;

COMMENT ON FUNCTION zengin_sync.list_unpublished() IS
'Pending diffs without a DynamoDB record yet, oldest first, each as zengin.export_diff JSON (plus dataSummary {totalRecords, additions, updates, deletions} for a bulk_update that lacks one).';
GRANT EXECUTE ON FUNCTION zengin_sync.list_unpublished() TO bbase_sync;
