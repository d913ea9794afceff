-- requires: sql/triggers/zengin/tg_diffs__enforce_transition.sql
-- Why: approval is the human gate of the pipeline. The rules (a named approver,
-- not the creator by name or by login, only from pending, within the ttl) are
-- enforced by the trigger on zengin.diffs, whoever updates; this function adds
-- the two things a trigger cannot: a clear ZG011 for a diff already decided,
-- and expiry on the spot. A diff past its ttl is expired here and the call
-- returns 'expired' with a WARNING carrying ZG020: an exception would roll
-- the expiry back with the rest of the statement, and a diff refused for its
-- age must stay refused (and reach DynamoDB as expired) even when the caller
-- only looks at errors.
CREATE OR REPLACE FUNCTION zengin.approve_diff(p_diff_id text, p_approver text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_diff zengin.diffs;
BEGIN
    SELECT * INTO v_diff FROM zengin.diffs AS d WHERE d.id = p_diff_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'diff % does not exist', p_diff_id
            USING ERRCODE = 'ZG010',
                  DETAIL = pg_catalog.format('id=%s', p_diff_id),
                  HINT = 'List pending diffs with SELECT id FROM zengin.diffs WHERE status = ''pending''.';
    END IF;
    IF v_diff.status <> 'pending' THEN
        RAISE EXCEPTION 'diff % is % and cannot be approved: only a pending diff can', p_diff_id, v_diff.status
            USING ERRCODE = 'ZG011',
                  DETAIL = pg_catalog.format('id=%s status=%s approved_by=%s rejected_by=%s',
                      p_diff_id, v_diff.status, v_diff.approved_by, v_diff.rejected_by),
                  HINT = 'A decision is final; create a new diff to decide again.';
    END IF;
    IF v_diff.ttl < pg_catalog.date_part('epoch', pg_catalog.now()) THEN
        UPDATE zengin.diffs AS d SET status = 'expired' WHERE d.id = p_diff_id;
        RAISE WARNING 'diff % expired at % and cannot be approved; it is now expired', p_diff_id,
            pg_catalog.to_timestamp(v_diff.ttl)
            USING ERRCODE = 'ZG020',
                  DETAIL = pg_catalog.format('id=%s ttl=%s', p_diff_id, v_diff.ttl),
                  HINT = 'Create a new diff from fresh data.';
        RETURN 'expired';
    END IF;
    UPDATE zengin.diffs AS d SET status = 'approved', approved_by = p_approver WHERE d.id = p_diff_id;
    RETURN 'approved';
END
$$;

COMMENT ON FUNCTION zengin.approve_diff(text, text) IS
'Approve pending diff p_diff_id as p_approver (stored in canonical form, zengin.normalize_identity; the login is recorded too). Returns the diff''s new status: ''approved'', or ''expired'' with a WARNING (SQLSTATE ZG020) when its ttl had passed: the diff is then expired for good, not approved. Raises ZG010 (no such diff), ZG011 (not pending: already approved, rejected, …), ZG012 (no approver named), ZG013 (approver is the creator), ZG021 (this login created the diff).';

REVOKE EXECUTE ON FUNCTION zengin.approve_diff(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zengin.approve_diff(text, text) TO bbase_operator, bbase_reviewer;
