-- requires: sql/functions/zengin/diff_status_paths.sql
-- Why: "how far along the state machine" is asked twice by the sync: of two
-- versions of one record pulled in one run it keeps the later, and it queries
-- DynamoDB's StatusIndex status by status in this order, so a record that
-- moves on during the pull is met again under its new status, never missed.
-- Every transition leads to a higher stage, so both hold for any state
-- machine zengin.diff_transitions describes.
CREATE OR REPLACE FUNCTION zengin.diff_status_stages()
RETURNS TABLE (status text, stage integer)
LANGUAGE sql
STABLE
PARALLEL SAFE
ROWS 10
SET search_path = ''
AS $$
    SELECT s.status, coalesce(max(p.steps), 0)::integer
    FROM zengin.diff_statuses AS s
    LEFT JOIN zengin.diff_status_paths() AS p ON p.to_status = s.status
    GROUP BY s.status
    ORDER BY 2, 1
$$;

COMMENT ON FUNCTION zengin.diff_status_stages() IS
'Every status of zengin.diff_statuses with its stage, the longest path into it through zengin.diff_transitions (pending 0; approved, rejected 1; executing, expired 2; completed, failed 3), ordered by stage then status. Every transition leads to a higher stage.';

GRANT EXECUTE ON FUNCTION zengin.diff_status_stages() TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
