-- requires: sql/functions/bbase/raise_invalid.sql
-- requires: sql/triggers/zengin/tg_diffs__enforce_transition.sql
-- Why: a reviewer turns a diff down with a reason; the state machine trigger
-- checks the transition, stores the reviewer's name in canonical form and
-- records the login. A diff already decided gets a clear ZG011 here.
-- Rejecting needs no second pair of eyes (it changes nothing in the master),
-- so the creator or the creating login may reject, also past the ttl.
CREATE OR REPLACE FUNCTION zengin.reject_diff(p_diff_id text, p_approver text, p_reason text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_status text;
BEGIN
    IF coalesce(pg_catalog.btrim(p_reason), '') = '' THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_reason', p_reason, 'a rejection needs a reason');
    END IF;
    SELECT d.status INTO v_status FROM zengin.diffs AS d WHERE d.id = p_diff_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'diff % does not exist', p_diff_id
            USING ERRCODE = 'ZG010',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'List pending diffs with SELECT id FROM zengin.diffs WHERE status = ''pending''.';
    END IF;
    IF v_status <> 'pending' THEN
        RAISE EXCEPTION 'diff % is % and cannot be rejected: only a pending diff can', p_diff_id, v_status
            USING ERRCODE = 'ZG011',
                  DETAIL = pg_catalog.format('id=%s status=%s', p_diff_id, v_status),
                  HINT = 'A decision is final; create a new diff to decide again.';
    END IF;
    UPDATE zengin.diffs AS d
    SET status = 'rejected', rejected_by = p_approver, reject_reason = p_reason
    WHERE d.id = p_diff_id;
END
$$;

COMMENT ON FUNCTION zengin.reject_diff(text, text, text) IS
'Reject pending diff p_diff_id as p_approver (stored in canonical form; the login is recorded too) for p_reason. Raises ZG010 (no such diff), ZG011 (not pending: already approved, rejected, …), ZG012 (no reviewer named), ZG017 (no reason).';

REVOKE EXECUTE ON FUNCTION zengin.reject_diff(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zengin.reject_diff(text, text, text) TO bbase_operator, bbase_reviewer;
