-- requires: sql/functions/timesheet_context/change_timesheet_status.sql
-- Why: the customer (a SUBMITTED timesheet) or the project manager (SUBMITTED
-- or CLIENT_APPROVED) sends the month back to the engineer with a reason
-- (差戻し). It is recorded as REJECTED with the reason and returns to DRAFT in
-- the same statement (tg_timesheets__record_transition), so the engineer can
-- correct the attendance and submit again; the reason stays on the row.
-- SECURITY INVOKER: row-level security decides whose timesheets the caller
-- may reject.
CREATE OR REPLACE FUNCTION timesheet_context.reject_timesheet(
    p_timesheet_id uuid,
    p_expected_version integer,
    p_reason text
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    IF p_reason IS NULL OR pg_catalog.btrim(p_reason, E' \t\r\n\u3000') = '' THEN
        RAISE EXCEPTION 'invalid p_reason: % (a rejection needs a reason for the engineer)',
            coalesce(pg_catalog.quote_literal(p_reason), 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_reason value=%s', p_reason);
    END IF;
    IF pg_catalog.length(p_reason) > 2000 THEN
        RAISE EXCEPTION 'invalid p_reason: % characters (at most 2000)', pg_catalog.length(p_reason)
            USING ERRCODE = 'SE172', DETAIL = 'field=p_reason';
    END IF;
    RETURN timesheet_context.change_timesheet_status(p_timesheet_id, p_expected_version, 'REJECTED', p_reason);
END
$$;

COMMENT ON FUNCTION timesheet_context.reject_timesheet(uuid, integer, text) IS
'Customer (SUBMITTED) or project manager (SUBMITTED, CLIENT_APPROVED): reject a timesheet back to the engineer with p_reason (差戻し), at the version you read. It is logged as REJECT with the reason and returns to DRAFT (REOPEN) at once; rejection_reason and rejected_at stay on the row; emits TimesheetRejected. A second call by the project manager changes nothing and says so (a customer no longer sees the DRAFT: SE172). SE001 stale version, SE170 illegal transition, SE172 blank reason or no such timesheet of yours.';

REVOKE EXECUTE ON FUNCTION timesheet_context.reject_timesheet(uuid, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.reject_timesheet(uuid, integer, text)
TO ses_customer_role, ses_project_manager_role, ses_admin_role;
