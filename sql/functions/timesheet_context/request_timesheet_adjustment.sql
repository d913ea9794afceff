-- Why: a DRAFT timesheet is corrected by editing its attendance; adjustments
-- (勤怠調整: reason, delta, approver) are the only way to change a month once
-- it is submitted, and only then: an adjustment of a DRAFT would be counted
-- twice once the corrected attendance is submitted (SE174). After CLOSED the
-- adjustment is settled in the next open period (applies_to_year/month).
-- A function, not a trigger on the table: the shared sample rows of the test
-- suite (tests/ses/conftest.py SAMPLE_ROWS) put an adjustment on a DRAFT
-- timesheet, as a row-level security fixture; the rule binds this door.
-- SECURITY INVOKER: the caller's grants and policies on timesheet_adjustments
-- apply (admins write them; others read).
CREATE OR REPLACE FUNCTION timesheet_context.request_timesheet_adjustment(
    p_timesheet_id uuid,
    p_expected_version integer,
    p_adjustment_type text,
    p_delta_minutes integer,
    p_delta_amount numeric,
    p_reason text
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_row record;
    v_id uuid;
BEGIN
    SELECT t.id, t.period_year, t.period_month, t.status, t.version
    INTO v_row
    FROM timesheet_context.timesheets AS t
    WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invalid p_timesheet_id: % (no timesheet you may act on: unknown, deleted, or not yours)',
            coalesce(p_timesheet_id::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_timesheet_id value=%s', p_timesheet_id);
    END IF;
    IF v_row.status IN ('DRAFT', 'REJECTED') THEN
        RAISE EXCEPTION 'timesheet % is %: correct its attendance instead of adding an adjustment',
            v_row.id, v_row.status
            USING ERRCODE = 'SE174',
                  DETAIL = pg_catalog.format('timesheet_id=%s status=%s', v_row.id, v_row.status),
                  HINT = 'Adjustments are for submitted, approved or closed timesheets; edit the DRAFT''s attendance (record_attendance).';
    END IF;
    IF p_expected_version IS DISTINCT FROM v_row.version THEN
        RAISE EXCEPTION 'stale version of timesheet %: you read version %, it is at version %',
            v_row.id, p_expected_version, v_row.version
            USING ERRCODE = 'SE001',
                  DETAIL = pg_catalog.format('id=%s expected_version=%s current_version=%s',
                                             v_row.id, p_expected_version, v_row.version);
    END IF;
    IF p_reason IS NULL OR pg_catalog.btrim(p_reason, E' \t\r\n\u3000') = '' THEN
        RAISE EXCEPTION 'invalid p_reason: % (an adjustment needs a reason)', coalesce(pg_catalog.quote_literal(p_reason), 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_reason value=%s', p_reason);
    END IF;
    INSERT INTO timesheet_context.timesheet_adjustments (
        timesheet_id, period_year, period_month, adjustment_type, delta_minutes, delta_amount, reason,
        applies_to_year, applies_to_month, requested_by
    ) VALUES (
        v_row.id, v_row.period_year, v_row.period_month, p_adjustment_type, coalesce(p_delta_minutes, 0),
        coalesce(p_delta_amount, 0), p_reason,
        CASE WHEN v_row.status = 'CLOSED' THEN
            pg_catalog.date_part('year', pg_catalog.make_date(v_row.period_year, v_row.period_month, 1) + 31)::smallint END,
        CASE WHEN v_row.status = 'CLOSED' THEN
            pg_catalog.date_part('month', pg_catalog.make_date(v_row.period_year, v_row.period_month, 1) + 31)::smallint END,
        ses_common.current_user_id()
    ) RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

COMMENT ON FUNCTION timesheet_context.request_timesheet_adjustment(uuid, integer, text, integer, numeric, text) IS
'Admin: record an adjustment (PENDING) of a submitted, approved or closed timesheet at the version you read: HOURS with p_delta_minutes, or AMOUNT/EXPENSE with p_delta_amount, and a reason; a CLOSED timesheet''s adjustment applies to the following month. Returns its id. SE174 for a DRAFT timesheet (edit its attendance instead), SE001 stale version, SE172 blank reason or no such timesheet; the table''s CHECKs name a delta that does not match its type.';

REVOKE EXECUTE ON FUNCTION timesheet_context.request_timesheet_adjustment(uuid, integer, text, integer, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.request_timesheet_adjustment(uuid, integer, text, integer, numeric, text)
TO ses_admin_role;
