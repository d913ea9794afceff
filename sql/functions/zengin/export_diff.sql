-- requires: sql/functions/zengin/format_iso_utc.sql
-- Why: the sync job writes diffs to DynamoDB/S3 in the design document's
-- record layout; building that JSON here keeps one definition of the mapping.
CREATE OR REPLACE FUNCTION zengin.export_diff(p_diff_id text)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_record jsonb;
    v_items jsonb;
    v_diff_type text;
BEGIN
    SELECT pg_catalog.jsonb_build_object(
        'id', d.id,
        'timestamp', zengin.format_iso_utc(d.timestamp),
        'status', d.status,
        'diffType', d.diff_type,
        'target', d.target,
        'zenginData', d.zengin_data,
        'currentData', d.current_data,
        'changes', d.changes,
        'createdBy', d.created_by,
        'approvedBy', d.approved_by,
        'approvedAt', zengin.format_iso_utc(d.approved_at),
        'rejectedBy', d.rejected_by,
        'rejectedAt', zengin.format_iso_utc(d.rejected_at),
        'rejectReason', d.reject_reason,
        'executedAt', zengin.format_iso_utc(d.executed_at),
        'executionResult', d.execution_result,
        'metadata', d.metadata,
        'ttl', d.ttl,
        'dataLocation', d.data_location,
        'dataSize', d.data_size,
        'dataSummary', d.data_summary,
        'snapshotId', d.snapshot_id,
        'updatedAt', zengin.format_iso_utc(d.updated_at)
    ), d.diff_type
    INTO v_record, v_diff_type
    FROM zengin.diffs AS d
    WHERE d.id = p_diff_id;

    IF v_record IS NULL THEN
        RAISE EXCEPTION 'diff % does not exist', p_diff_id
            USING ERRCODE = 'ZG010',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'List diffs with SELECT id, status FROM zengin.diffs ORDER BY timestamp DESC.';
    END IF;

    -- Plain JSON: absent values are left out rather than sent as null.
    SELECT pg_catalog.jsonb_object_agg(e.key, e.value)
    INTO v_record
    FROM pg_catalog.jsonb_each(v_record) AS e
    WHERE e.value <> 'null'::jsonb;

    IF v_diff_type = 'bulk_update' THEN
        SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'diffType', i.diff_type,
            'target', i.target,
            'zenginData', i.zengin_data,
            'currentData', i.current_data,
            'changes', i.changes
        )) ORDER BY i.item_no), '[]'::jsonb)
        INTO v_items
        FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id;
        v_record := v_record || pg_catalog.jsonb_build_object('items', v_items);
    END IF;
    RETURN v_record;
END
$$;

COMMENT ON FUNCTION zengin.export_diff(text) IS
'The diff as a plain JSON record in the design document''s DynamoDB layout (camelCase keys: id, timestamp as ISO-8601 UTC with milliseconds and Z, status, diffType, target, zenginData, currentData, changes, createdBy, approvedBy, approvedAt, executedAt, executionResult, metadata, ttl, dataLocation, dataSize, dataSummary, …; null values left out) and, for a bulk_update, an items array of {diffType, target, zenginData, currentData, changes}. Raises ZG010 when the diff does not exist.';

GRANT EXECUTE ON FUNCTION zengin.export_diff(text) TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
