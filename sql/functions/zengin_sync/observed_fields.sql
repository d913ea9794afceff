-- Why: of a DynamoDB record, only the reviewer and result attributes are
-- compared with PostgreSQL to decide whether a write-back is owed.
CREATE OR REPLACE FUNCTION zengin_sync.observed_fields(p_plain jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'status', p_plain -> 'status',
    'approvedBy', p_plain -> 'approvedBy',
    'approvedAt', p_plain -> 'approvedAt',
    'rejectedBy', p_plain -> 'rejectedBy',
    'rejectedAt', p_plain -> 'rejectedAt',
    'rejectReason', p_plain -> 'rejectReason',
    'executedAt', p_plain -> 'executedAt',
    'executionResult', p_plain -> 'executionResult'
));

COMMENT ON FUNCTION zengin_sync.observed_fields(jsonb) IS
'The reviewer/result attributes of a plain DynamoDB record (status, approvedBy/At, rejectedBy/At, rejectReason, executedAt, executionResult), nulls dropped.';
GRANT EXECUTE ON FUNCTION zengin_sync.observed_fields(jsonb) TO bbase_sync;
