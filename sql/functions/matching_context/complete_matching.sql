-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: closing a matching request is the moment the rest of the company hears
-- about it (MatchingCompleted, emitted by tg_matching_requests__emit_completed
-- in the same transaction). The function checks the version the caller read
-- (SE001 through tg_bump_version) and the status, and is safe to repeat: a
-- request already COMPLETED is left alone and the answer is false, so a retry
-- after a lost reply neither fails nor emits a second event.
-- SECURITY INVOKER: the caller's row-level security decides which requests it
-- may close (a project manager: those of their projects; SE190 otherwise).
CREATE OR REPLACE FUNCTION matching_context.complete_matching(
    p_request_id uuid,
    p_expected_version integer
) RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_status text;
BEGIN
    IF p_request_id IS NULL THEN
        PERFORM bbase.raise_invalid('SE195', 'p_request_id', p_request_id::text, 'the matching request id is required');
    END IF;
    IF p_expected_version IS NULL OR p_expected_version < 1 THEN
        PERFORM bbase.raise_invalid('SE195', 'p_expected_version', p_expected_version::text,
            'the version of the request as read (1 or more)');
    END IF;

    SELECT r.status INTO v_status
    FROM matching_context.matching_requests AS r
    WHERE r.id = p_request_id AND r.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'matching request % does not exist or is not yours', p_request_id
            USING ERRCODE = 'SE190', DETAIL = pg_catalog.format('matching_request_id=%s', p_request_id),
                  HINT = 'Check the id; a project manager completes only the requests of their projects.';
    END IF;
    IF v_status = 'COMPLETED' THEN
        RETURN FALSE;
    END IF;
    IF v_status NOT IN ('OPEN', 'SEARCHING', 'PROPOSING') THEN
        RAISE EXCEPTION 'matching request % is %: only OPEN, SEARCHING or PROPOSING requests are completed',
            p_request_id, v_status
            USING ERRCODE = 'SE191', DETAIL = pg_catalog.format('matching_request_id=%s status=%s', p_request_id, v_status);
    END IF;

    UPDATE matching_context.matching_requests AS r
    SET status = 'COMPLETED', completed_at = pg_catalog.now(), version = p_expected_version
    WHERE r.id = p_request_id;
    RETURN TRUE;
END
$$;

COMMENT ON FUNCTION matching_context.complete_matching(uuid, integer) IS
'Close matching request p_request_id (read at version p_expected_version, else SE001) as COMPLETED; the MatchingCompleted event is emitted in the same transaction. Returns true when it completed the request, false when it was already COMPLETED (nothing changed, no event). SE190 request missing or not yours, SE191 request CANCELLED, EXPIRED or DRAFT.';

REVOKE EXECUTE ON FUNCTION matching_context.complete_matching(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION matching_context.complete_matching(uuid, integer) TO ses_admin_role, ses_project_manager_role;
