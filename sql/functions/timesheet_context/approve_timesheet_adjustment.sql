-- requires: sql/functions/timesheet_context/decide_timesheet_adjustment.sql
-- Why: an adjustment (勤怠調整) requested after submission takes effect only
-- when a second person approves it: the project manager (or sales manager)
-- of the project, or an admin, never its requester. HOURS on a timesheet not
-- yet invoiced change its totals now (APPLIED); on a CLOSED (invoiced)
-- timesheet, and amounts or expenses, it is APPROVED for a close to settle
-- (the next open period for a CLOSED one).
-- SECURITY INVOKER: row-level security decides whose adjustments the caller
-- may decide.
CREATE OR REPLACE FUNCTION timesheet_context.approve_timesheet_adjustment(
    p_adjustment_id uuid,
    p_expected_version integer
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    RETURN timesheet_context.decide_timesheet_adjustment(p_adjustment_id, p_expected_version, 'APPROVED');
END
$$;

COMMENT ON FUNCTION timesheet_context.approve_timesheet_adjustment(uuid, integer) IS
'Project manager of the project or admin, not the requester: approve a PENDING timesheet adjustment at the version you read. HOURS on a timesheet not yet CLOSED: APPLIED, its minutes added to the timesheet''s totals (overtime, shortage, out_of_range recomputed) in this transaction; on a CLOSED timesheet: APPROVED for the next month (applies_to_year/month); AMOUNT and EXPENSE: APPROVED. Emits TimesheetAdjusted. A second call changes nothing and says so. SE001 stale version, SE210 already rejected, SE211 your own request, SE212 no such adjustment of yours, timesheet back in DRAFT, or minutes below zero.';

REVOKE EXECUTE ON FUNCTION timesheet_context.approve_timesheet_adjustment(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.approve_timesheet_adjustment(uuid, integer)
TO ses_admin_role, ses_project_manager_role;
