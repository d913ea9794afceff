-- requires: sql/functions/timesheet_context/decide_timesheet_adjustment.sql
-- Why: a requested adjustment that should not be made is rejected by the
-- project manager of the project or an admin (not its requester), with a
-- reason that stays on the row; nothing else changes.
-- SECURITY INVOKER: row-level security decides whose adjustments the caller
-- may decide.
CREATE OR REPLACE FUNCTION timesheet_context.reject_timesheet_adjustment(
    p_adjustment_id uuid,
    p_expected_version integer,
    p_reason text
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    IF p_reason IS NULL OR pg_catalog.btrim(p_reason, E' \t\r\n\u3000') = '' THEN
        RAISE EXCEPTION 'invalid p_reason: % (a rejection keeps its reason)', coalesce(pg_catalog.quote_literal(p_reason), 'NULL')
            USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=p_reason value=%s', p_reason);
    END IF;
    IF pg_catalog.length(p_reason) > 2000 THEN
        RAISE EXCEPTION 'invalid p_reason: % characters (at most 2000)', pg_catalog.length(p_reason)
            USING ERRCODE = 'SE212', DETAIL = 'field=p_reason';
    END IF;
    RETURN timesheet_context.decide_timesheet_adjustment(p_adjustment_id, p_expected_version, 'REJECTED', p_reason);
END
$$;

COMMENT ON FUNCTION timesheet_context.reject_timesheet_adjustment(uuid, integer, text) IS
'Project manager of the project or admin, not the requester: reject a PENDING timesheet adjustment at the version you read, with p_reason (kept in rejection_reason, with rejected_by/at); the timesheet does not change. Emits TimesheetAdjustmentRejected. A second call with the same reason changes nothing and says so. SE001 stale version, SE210 already approved, SE211 your own request, SE212 blank reason or no such adjustment of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.reject_timesheet_adjustment(uuid, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.reject_timesheet_adjustment(uuid, integer, text)
TO ses_admin_role, ses_project_manager_role;
