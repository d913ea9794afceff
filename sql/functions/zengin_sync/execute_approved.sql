-- requires: sql/functions/zengin/execute_approved_diffs.sql
-- Why: the execute step of a sync run (--execute; docs/sync.md). Approved diffs are applied by
-- zengin.execute_approved_diffs; the job only needs the counts.
CREATE OR REPLACE FUNCTION zengin_sync.execute_approved()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_result jsonb;
BEGIN
    SELECT pg_catalog.jsonb_build_object(
        'executed', count(*),
        'completed', count(*) FILTER (WHERE e.status = 'completed'),
        'failed', count(*) FILTER (WHERE e.status = 'failed'),
        'failures', coalesce(pg_catalog.jsonb_agg(
            pg_catalog.jsonb_build_object('id', e.diff_id, 'error', e.error))
            FILTER (WHERE e.status <> 'completed'), '[]'::jsonb))
    INTO v_result
    FROM zengin.execute_approved_diffs() AS e;
    RETURN v_result;
END
$$;

COMMENT ON FUNCTION zengin_sync.execute_approved() IS
'Run zengin.execute_approved_diffs() for the sync job and summarise: {executed, completed, failed, failures: [{id, error}]}.';
GRANT EXECUTE ON FUNCTION zengin_sync.execute_approved() TO bbase_sync;
