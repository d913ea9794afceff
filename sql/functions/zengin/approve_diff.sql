-- Why: approval is the human gate of the pipeline; the rules (a named approver,
-- not the creator, only from pending) are enforced by the trigger on
-- zengin.diffs, so this function only names the intent.
CREATE OR REPLACE FUNCTION zengin.approve_diff(p_diff_id text, p_approver text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    UPDATE zengin.diffs AS d
    SET status = 'approved', approved_by = p_approver, approved_at = pg_catalog.now()
    WHERE d.id = p_diff_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'diff % does not exist', p_diff_id
            USING ERRCODE = 'ZG010',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'List pending diffs with SELECT id FROM zengin.diffs WHERE status = ''pending''.';
    END IF;
END
$$;

COMMENT ON FUNCTION zengin.approve_diff(text, text) IS
'Approve pending diff p_diff_id as p_approver. Raises ZG010 (no such diff), ZG011 (not pending), ZG012 (no approver named), ZG013 (approver is the creator).';

GRANT EXECUTE ON FUNCTION zengin.approve_diff(text, text) TO bbase_sync, bbase_operator, bbase_reviewer;
