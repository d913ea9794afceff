-- Why: some readers of the state machine need more than one step of it: which
-- statuses lie beyond approval (PostgreSQL is ahead of a reviewer's decision
-- made in DynamoDB), which ones can still lead to completion (an open diff),
-- how far along a status is (of two versions of one record, keep the later).
-- They derive it here from zengin.diff_transitions instead of listing
-- statuses again. A string body (not BEGIN ATOMIC) so that the tables of
-- migration 0175 keep no dependency on it and roll back cleanly.
CREATE OR REPLACE FUNCTION zengin.diff_status_paths()
RETURNS TABLE (from_status text, to_status text, steps integer)
LANGUAGE sql
STABLE
PARALLEL SAFE
ROWS 30
SET search_path = ''
AS $$
    WITH RECURSIVE walk (from_status, to_status, steps, visited) AS (
        SELECT t.from_status, t.to_status, 1, ARRAY[t.from_status, t.to_status]
        FROM zengin.diff_transitions AS t
        UNION ALL
        SELECT w.from_status, t.to_status, w.steps + 1, w.visited || t.to_status
        FROM walk AS w
        JOIN zengin.diff_transitions AS t ON t.from_status = w.to_status
        WHERE t.to_status <> ALL (w.visited)
    )
    SELECT w.from_status, w.to_status, max(w.steps)::integer
    FROM walk AS w
    GROUP BY w.from_status, w.to_status
$$;

COMMENT ON FUNCTION zengin.diff_status_paths() IS
'Every pair of diff statuses (from_status, to_status) such that to_status can follow from_status through one or more zengin.diff_transitions, with steps = the longest such path. E.g. from approved: executing, completed, failed; to completed: pending, approved, executing. The longest path into a status from anywhere is how far along the state machine it is (pending 0).';

GRANT EXECUTE ON FUNCTION zengin.diff_status_paths() TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
