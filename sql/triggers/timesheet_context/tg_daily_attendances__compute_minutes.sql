-- requires: sql/functions/timesheet_context/compute_work_minutes.sql
-- requires: sql/functions/timesheet_context/truncate_to_time_unit.sql
-- requires: sql/functions/timesheet_context/writes_as_owner.sql
-- Why: work and billable minutes are derived, never typed: whoever writes a
-- day (record_attendance or a direct INSERT/UPDATE), work_minutes is end -
-- start - break and billable_minutes that truncated to the contract's time
-- unit when its rounding_scope is DAILY (MONTHLY truncates the total at
-- submission). Days without times count 0. History loaded by the owner
-- (seed, restore) keeps its recorded minutes (writes_as_owner).
-- SECURITY INVOKER: it reads the timesheet and contract as the writer; a
-- writer who cannot see them is refused by row-level security afterwards.
CREATE OR REPLACE FUNCTION timesheet_context.tg_daily_attendances__compute_minutes()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_unit integer;
    v_scope text;
BEGIN
    IF timesheet_context.writes_as_owner() THEN
        RETURN NEW;
    END IF;
    NEW.work_minutes := timesheet_context.compute_work_minutes(NEW.start_time, NEW.end_time, NEW.break_minutes);
    SELECT c.time_unit_minutes, c.rounding_scope INTO v_unit, v_scope
    FROM timesheet_context.timesheets AS t
    INNER JOIN contract_context.contracts AS c ON t.contract_id = c.id
    WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year AND t.period_month = NEW.period_month;
    NEW.billable_minutes := CASE
        WHEN v_scope = 'DAILY' THEN timesheet_context.truncate_to_time_unit(NEW.work_minutes, v_unit)
        ELSE NEW.work_minutes
    END;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_daily_attendances__compute_minutes() IS
'Trigger function (BEFORE INSERT OR UPDATE on daily_attendances): sets work_minutes = end - start - break (timesheet_context.compute_work_minutes; SE172 for bad times or break) and billable_minutes = work minutes truncated to the contract''s time_unit_minutes when rounding_scope is DAILY (else the work minutes), whatever the writer gave. Rows written by the owner (history loads) are kept as given.';

CREATE OR REPLACE TRIGGER tg_daily_attendances__compute_minutes
BEFORE INSERT OR UPDATE ON timesheet_context.daily_attendances
FOR EACH ROW EXECUTE FUNCTION timesheet_context.tg_daily_attendances__compute_minutes();

COMMENT ON TRIGGER tg_daily_attendances__compute_minutes ON timesheet_context.daily_attendances IS
'Derives work and billable minutes from the times, the break and the contract''s time unit (see the function).';
