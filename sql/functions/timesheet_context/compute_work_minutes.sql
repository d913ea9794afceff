-- Why: payroll counts exact minutes (ses-domain-rules.md section 1, time
-- units): end - start - break, a day that ends before it starts runs past
-- midnight. Written once; the attendance trigger and any report use it.
-- A break longer than the time at work is a typing error, never a negative day.
CREATE OR REPLACE FUNCTION timesheet_context.compute_work_minutes(
    p_start_time time,
    p_end_time time,
    p_break_minutes integer
) RETURNS integer
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_span integer;
BEGIN
    IF p_start_time IS NULL AND p_end_time IS NULL THEN
        RETURN 0;
    END IF;
    IF p_start_time IS NULL OR p_end_time IS NULL THEN
        RAISE EXCEPTION 'invalid %: NULL (start_time and end_time are given together)',
            CASE WHEN p_start_time IS NULL THEN 'start_time' ELSE 'end_time' END
            USING ERRCODE = 'SE172',
                  DETAIL = pg_catalog.format('start_time=%s end_time=%s', p_start_time, p_end_time);
    END IF;
    IF p_break_minutes IS NULL OR p_break_minutes < 0 THEN
        RAISE EXCEPTION 'invalid break_minutes: % (a break is 0 or more minutes)', coalesce(p_break_minutes::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('break_minutes=%s', p_break_minutes);
    END IF;
    v_span := (pg_catalog.date_part('epoch', p_end_time - p_start_time) / 60)::integer;
    IF v_span < 0 THEN
        v_span := v_span + 1440;  -- past midnight
    END IF;
    IF p_break_minutes > v_span THEN
        RAISE EXCEPTION 'invalid break_minutes: % (longer than the % minutes from % to %)',
            p_break_minutes, v_span, p_start_time, p_end_time
            USING ERRCODE = 'SE172',
                  DETAIL = pg_catalog.format('start_time=%s end_time=%s break_minutes=%s',
                                             p_start_time, p_end_time, p_break_minutes);
    END IF;
    RETURN v_span - p_break_minutes;
END
$$;

COMMENT ON FUNCTION timesheet_context.compute_work_minutes(time, time, integer) IS
'Exact minutes worked in a day: end - start - break (an end before the start runs past midnight); 0 for a day without times. SE172 for only one of the times, a negative break or a break longer than the time at work.';

REVOKE EXECUTE ON FUNCTION timesheet_context.compute_work_minutes(time, time, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.compute_work_minutes(time, time, integer)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
