-- Why: the engineer enters one day of their DRAFT timesheet (日次勤怠) from
-- psql or the application: start, end, break. The minutes are not taken from
-- the caller: tg_daily_attendances__compute_minutes derives them from the
-- times and the contract's time unit. Recording the same day again with the
-- same values changes nothing; changing a recorded day names its version.
-- SECURITY INVOKER: the engineer's policy admits only their own rows of their
-- own DRAFT timesheets (42501 otherwise).
CREATE OR REPLACE FUNCTION timesheet_context.record_attendance(
    p_timesheet_id uuid,
    p_work_date date,
    p_start_time time,
    p_end_time time,
    p_break_minutes integer DEFAULT 0,
    p_attendance_type text DEFAULT 'WORK',
    p_note text DEFAULT NULL,
    p_expected_version integer DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_sheet record;
    v_day record;
    v_new_id uuid;
BEGIN
    -- The timesheet by its whole key: the work date's month is its period, so
    -- one partition's primary key answers. Only when that finds nothing (wrong
    -- month, unknown, deleted, not yours) is it looked up by id alone, to say which.
    SELECT t.id, t.period_year, t.period_month, t.engineer_id, t.status
    INTO v_sheet
    FROM timesheet_context.timesheets AS t
    WHERE t.id = p_timesheet_id
        AND t.period_year = pg_catalog.date_part('year', p_work_date)::smallint
        AND t.period_month = pg_catalog.date_part('month', p_work_date)::smallint
        AND t.deleted_at IS NULL;
    IF NOT FOUND THEN
        SELECT t.id, t.period_year, t.period_month, t.engineer_id, t.status
        INTO v_sheet
        FROM timesheet_context.timesheets AS t
        WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invalid p_timesheet_id: % (no timesheet you may act on: unknown, deleted, or not yours)',
            coalesce(p_timesheet_id::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_timesheet_id value=%s', p_timesheet_id);
    END IF;
    IF p_work_date IS NULL
        OR pg_catalog.date_part('year', p_work_date) <> v_sheet.period_year
        OR pg_catalog.date_part('month', p_work_date) <> v_sheet.period_month THEN
        RAISE EXCEPTION 'invalid p_work_date: % (outside the timesheet''s month %-%)',
            coalesce(p_work_date::text, 'NULL'), v_sheet.period_year, pg_catalog.lpad(v_sheet.period_month::text, 2, '0')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_work_date value=%s', p_work_date);
    END IF;
    IF p_attendance_type IS NULL OR p_attendance_type NOT IN
        ('WORK', 'HOLIDAY_WORK', 'PAID_LEAVE', 'SPECIAL_LEAVE', 'ABSENCE', 'HOLIDAY') THEN
        RAISE EXCEPTION 'invalid p_attendance_type: % (WORK, HOLIDAY_WORK, PAID_LEAVE, SPECIAL_LEAVE, ABSENCE or HOLIDAY)',
            coalesce(pg_catalog.quote_literal(p_attendance_type), 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_attendance_type value=%s', p_attendance_type);
    END IF;
    IF p_break_minutes IS NULL OR p_break_minutes NOT BETWEEN 0 AND 1440 THEN
        RAISE EXCEPTION 'invalid p_break_minutes: % (0 to 1440)', coalesce(p_break_minutes::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_break_minutes value=%s', p_break_minutes);
    END IF;

    SELECT d.id, d.version, d.attendance_type, d.start_time, d.end_time, d.break_minutes, d.note
    INTO v_day
    FROM timesheet_context.daily_attendances AS d
    WHERE d.timesheet_id = v_sheet.id AND d.work_date = p_work_date AND d.deleted_at IS NULL;

    IF NOT FOUND THEN
        INSERT INTO timesheet_context.daily_attendances (
            timesheet_id, period_year, period_month, engineer_id, work_date, attendance_type,
            start_time, end_time, break_minutes, note
        ) VALUES (
            v_sheet.id, v_sheet.period_year, v_sheet.period_month, v_sheet.engineer_id, p_work_date,
            p_attendance_type, p_start_time, p_end_time, p_break_minutes, p_note
        ) RETURNING id INTO v_new_id;
        RETURN (SELECT pg_catalog.format('%s recorded: %s work minutes, %s billable (version %s)',
            p_work_date, d.work_minutes, d.billable_minutes, d.version)
            FROM timesheet_context.daily_attendances AS d WHERE d.id = v_new_id);
    END IF;

    IF (v_day.attendance_type, v_day.start_time, v_day.end_time, v_day.break_minutes, v_day.note)
        IS NOT DISTINCT FROM (p_attendance_type, p_start_time, p_end_time, p_break_minutes::smallint, p_note) THEN
        RETURN pg_catalog.format('%s already recorded with these values (version %s): nothing changed',
            p_work_date, v_day.version);
    END IF;
    IF p_expected_version IS NULL THEN
        RAISE EXCEPTION 'invalid p_expected_version: NULL (% is already recorded at version %: name the version you read to change it)',
            p_work_date, v_day.version
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_expected_version value=NULL current_version=%s', v_day.version);
    END IF;
    UPDATE timesheet_context.daily_attendances AS d
    SET attendance_type = p_attendance_type, start_time = p_start_time, end_time = p_end_time,
        break_minutes = p_break_minutes, note = p_note, version = p_expected_version
    WHERE d.id = v_day.id;
    RETURN (SELECT pg_catalog.format('%s changed: %s work minutes, %s billable (version %s)',
        p_work_date, d.work_minutes, d.billable_minutes, d.version)
        FROM timesheet_context.daily_attendances AS d WHERE d.id = v_day.id);
END
$$;

COMMENT ON FUNCTION timesheet_context.record_attendance(uuid, date, time, time, integer, text, text, integer) IS
'Engineer: record one day of your DRAFT timesheet: work date, start and end (local time; an end before the start runs past midnight; NULL both for a day off), break minutes, attendance type (WORK, HOLIDAY_WORK, PAID_LEAVE, SPECIAL_LEAVE, ABSENCE, HOLIDAY), note. Work minutes = end - start - break; billable minutes truncated to the contract''s time unit. To change a recorded day pass p_expected_version (its version); the same values again change nothing. SE172 bad input, SE001 stale version, 42501 not your DRAFT timesheet.';

REVOKE EXECUTE ON FUNCTION timesheet_context.record_attendance(uuid, date, time, time, integer, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.record_attendance(uuid, date, time, time, integer, text, text, integer)
TO ses_engineer_role, ses_admin_role;
