-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: a reviewer turns a diff down with a reason; the state machine trigger
-- checks the transition and the reviewer's name.
CREATE OR REPLACE FUNCTION zengin.reject_diff(p_diff_id text, p_approver text, p_reason text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF coalesce(pg_catalog.btrim(p_reason), '') = '' THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_reason', p_reason, 'a rejection needs a reason');
    END IF;
    UPDATE zengin.diffs AS d
    SET status = 'rejected', rejected_by = p_approver, rejected_at = pg_catalog.now(),
        reject_reason = p_reason
    WHERE d.id = p_diff_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'diff % does not exist', p_diff_id
            USING ERRCODE = 'ZG010',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'List pending diffs with SELECT id FROM zengin.diffs WHERE status = ''pending''.';
    END IF;
END
$$;

COMMENT ON FUNCTION zengin.reject_diff(text, text, text) IS
'Reject pending diff p_diff_id as p_approver for p_reason. Raises ZG010 (no such diff), ZG011 (not pending), ZG012 (no reviewer named), ZG017 (no reason).';

GRANT EXECUTE ON FUNCTION zengin.reject_diff(text, text, text) TO bbase_sync, bbase_operator, bbase_reviewer;
