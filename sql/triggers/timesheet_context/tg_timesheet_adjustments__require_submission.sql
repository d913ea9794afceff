-- requires: sql/functions/timesheet_context/writes_as_owner.sql
-- Why: a DRAFT timesheet is corrected by editing its attendance; adjustments
-- (勤怠調整) are the only way to change a month once it is submitted, and
-- only then. An adjustment of a DRAFT is a mistake that would be counted
-- twice (SE174). The owner's history loads pass.
CREATE OR REPLACE FUNCTION timesheet_context.tg_timesheet_adjustments__require_submission()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_status text;
BEGIN
    IF timesheet_context.writes_as_owner() THEN
        RETURN NEW;
    END IF;
    SELECT t.status INTO v_status
    FROM timesheet_context.timesheets AS t
    WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year AND t.period_month = NEW.period_month;
    IF v_status IN ('DRAFT', 'REJECTED') THEN
        RAISE EXCEPTION 'timesheet % is %: correct its attendance instead of adding an adjustment',
            NEW.timesheet_id, v_status
            USING ERRCODE = 'SE174',
                  DETAIL = pg_catalog.format('timesheet_id=%s status=%s', NEW.timesheet_id, v_status),
                  HINT = 'Adjustments are for submitted, approved or closed timesheets; edit the DRAFT''s attendance (record_attendance).';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_timesheet_adjustments__require_submission() IS
'Trigger function (BEFORE INSERT on timesheet_adjustments): SE174 for an adjustment of a DRAFT timesheet (edit its attendance instead). The owner''s history loads pass.';

CREATE OR REPLACE TRIGGER tg_timesheet_adjustments__require_submission
BEFORE INSERT ON timesheet_context.timesheet_adjustments
FOR EACH ROW EXECUTE FUNCTION timesheet_context.tg_timesheet_adjustments__require_submission();

COMMENT ON TRIGGER tg_timesheet_adjustments__require_submission ON timesheet_context.timesheet_adjustments IS
'Adjustments only after submission (SE174).';
