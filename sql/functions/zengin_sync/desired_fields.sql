-- requires: sql/functions/zengin/format_iso_utc.sql
-- Why: what a diff's DynamoDB record should say, given its row in
-- PostgreSQL, in the same shape as observed_fields so the two compare.
CREATE OR REPLACE FUNCTION zengin_sync.desired_fields(
    p_status text,
    p_approved_by text,
    p_approved_at timestamptz,
    p_rejected_by text,
    p_rejected_at timestamptz,
    p_reject_reason text,
    p_executed_at timestamptz,
    p_execution_result jsonb
) RETURNS jsonb
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = ''
RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'status', p_status,
    'approvedBy', p_approved_by,
    'approvedAt', zengin.format_iso_utc(p_approved_at),
    'rejectedBy', p_rejected_by,
    'rejectedAt', zengin.format_iso_utc(p_rejected_at),
    'rejectReason', p_reject_reason,
    'executedAt', zengin.format_iso_utc(p_executed_at),
    'executionResult', p_execution_result
));

COMMENT ON FUNCTION zengin_sync.desired_fields(text, text, timestamptz, text, timestamptz, text, timestamptz, jsonb) IS
'The reviewer/result attributes a diff''s DynamoDB record should carry, from its zengin.diffs columns; same shape as observed_fields.';
GRANT EXECUTE ON FUNCTION zengin_sync.desired_fields(text, text, timestamptz, text, timestamptz, text, timestamptz, jsonb) TO bbase_sync;
