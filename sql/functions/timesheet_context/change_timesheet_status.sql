-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: the one body of the status workflow functions (submit, approve,
-- reject, close): find the timesheet the caller may see, answer a repeated
-- call without changing anything, name the version read (optimistic locking:
-- a stale version is SE001 from tg_bump_version), and let the database's
-- triggers do the rest (transition check SE170, totals, ALERT, steps, events).
-- SECURITY INVOKER: the caller's grants and row-level security decide whose
-- timesheets they can move, so this widens nothing.
CREATE OR REPLACE FUNCTION timesheet_context.change_timesheet_status(
    p_timesheet_id uuid,
    p_expected_version integer,
    p_to_status text,
    p_rejection_reason text DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_row record;
    v_version integer;
BEGIN
    IF p_expected_version IS NULL OR p_expected_version < 1 THEN
        RAISE EXCEPTION 'invalid p_expected_version: % (the version you read, 1 or more)',
            coalesce(p_expected_version::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_expected_version value=%s', p_expected_version);
    END IF;
    SELECT t.id, t.period_year, t.period_month, t.status, t.version, t.rejection_reason, t.rejected_at
    INTO v_row
    FROM timesheet_context.timesheets AS t
    WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invalid p_timesheet_id: % (no timesheet you may act on: unknown, deleted, or not yours)',
            coalesce(p_timesheet_id::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_timesheet_id value=%s', p_timesheet_id),
                  HINT = 'Act as the right user first (ses_common.act_as); a customer no longer sees a timesheet rejected back to DRAFT.';
    END IF;

    -- A repeated call: the timesheet already is where the call would take it.
    IF v_row.status = p_to_status
        OR (p_to_status = 'REJECTED' AND v_row.status = 'DRAFT' AND v_row.rejected_at IS NOT NULL
            AND v_row.rejection_reason = p_rejection_reason AND v_row.version > p_expected_version) THEN
        RETURN pg_catalog.format('timesheet %s is already %s (version %s): nothing changed',
            v_row.id, CASE WHEN p_to_status = 'REJECTED' THEN 'rejected back to DRAFT' ELSE v_row.status END,
            v_row.version);
    END IF;

    IF p_to_status = 'REJECTED' THEN
        UPDATE timesheet_context.timesheets AS t
        SET status = 'REJECTED', rejection_reason = p_rejection_reason, version = p_expected_version
        WHERE t.id = v_row.id AND t.period_year = v_row.period_year AND t.period_month = v_row.period_month;
    ELSE
        UPDATE timesheet_context.timesheets AS t
        SET status = p_to_status, version = p_expected_version
        WHERE t.id = v_row.id AND t.period_year = v_row.period_year AND t.period_month = v_row.period_month;
    END IF;

    IF p_to_status = 'REJECTED' THEN
        RETURN pg_catalog.format('timesheet %s rejected back to DRAFT with the reason kept', v_row.id);
    END IF;
    SELECT t.version INTO v_version
    FROM timesheet_context.timesheets AS t
    WHERE t.id = v_row.id AND t.period_year = v_row.period_year AND t.period_month = v_row.period_month;
    RETURN pg_catalog.format('timesheet %s %s -> %s (version %s)', v_row.id, v_row.status, p_to_status,
        coalesce(v_version, p_expected_version + 1));
END
$$;

COMMENT ON FUNCTION timesheet_context.change_timesheet_status(uuid, integer, text, text) IS
'Move a timesheet the caller may act on to p_to_status, naming the version read (stale: SE001). A call that finds the timesheet already there changes nothing and says so. Called by submit_timesheet, approve_timesheet_as_customer, approve_timesheet_internally, reject_timesheet and close_timesheet; the database''s transition trigger refuses what the state machine does not allow (SE170).';

REVOKE EXECUTE ON FUNCTION timesheet_context.change_timesheet_status(uuid, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.change_timesheet_status(uuid, integer, text, text)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
