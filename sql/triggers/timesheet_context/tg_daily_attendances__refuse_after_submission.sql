-- requires: sql/functions/timesheet_context/writes_as_owner.sql
-- requires: sql/functions/ses_common/is_purge_permitted.sql
-- Why: after submission the month's attendance is what the customer and we
-- approve; changes go only through timesheet_adjustments (reason, delta,
-- approver). Row-level security already keeps engineers to their DRAFT
-- timesheets; this closes the door for every application role (an admin's
-- direct INSERT, UPDATE or DELETE too) with SE171. It runs AFTER INSERT OR
-- UPDATE, so a role the policy refuses gets the policy's 42501 first, and
-- BEFORE DELETE, ahead of the soft delete (which writes as the owner).
-- The purge path (a purge permit, ses_common.is_purge_permitted: archive, purge_deleted) and the
-- owner's history loads pass.
CREATE OR REPLACE FUNCTION timesheet_context.tg_daily_attendances__refuse_after_submission()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_row timesheet_context.daily_attendances;
    v_status text;
BEGIN
    IF timesheet_context.writes_as_owner()
        OR (TG_OP = 'DELETE' AND ses_common.is_purge_permitted()) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND (
        NEW.timesheet_id, NEW.engineer_id, NEW.work_date, NEW.attendance_type, NEW.start_time, NEW.end_time,
        NEW.break_minutes, NEW.work_minutes, NEW.billable_minutes, NEW.note, NEW.deleted_at
    ) IS NOT DISTINCT FROM (
        OLD.timesheet_id, OLD.engineer_id, OLD.work_date, OLD.attendance_type, OLD.start_time, OLD.end_time,
        OLD.break_minutes, OLD.work_minutes, OLD.billable_minutes, OLD.note, OLD.deleted_at
    ) THEN
        RETURN NULL;  -- nothing of the day changed (a version touch)
    END IF;
    IF TG_OP = 'DELETE' THEN
        v_row := OLD;
    ELSE
        v_row := NEW;
    END IF;
    SELECT t.status INTO v_status
    FROM timesheet_context.timesheets AS t
    WHERE t.id = v_row.timesheet_id AND t.period_year = v_row.period_year AND t.period_month = v_row.period_month;
    IF v_status IS NOT NULL AND v_status NOT IN ('DRAFT', 'REJECTED') THEN
        RAISE EXCEPTION 'timesheet % is %: its attendance cannot change (% of %)',
            v_row.timesheet_id, v_status, pg_catalog.lower(TG_OP), v_row.work_date
            USING ERRCODE = 'SE171',
                  DETAIL = pg_catalog.format('timesheet_id=%s status=%s work_date=%s',
                                             v_row.timesheet_id, v_status, v_row.work_date),
                  HINT = 'Record the change as a timesheet_adjustments row (reason, delta_minutes), or have it rejected back to DRAFT.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_daily_attendances__refuse_after_submission() IS
'Trigger function (AFTER INSERT OR UPDATE, BEFORE DELETE on daily_attendances): SE171 when the day (any of its values) belongs to a timesheet past DRAFT (submitted, approved, closed); changes then go through timesheet_adjustments. The purge path (a purge permit) and the owner''s history loads pass.';

CREATE OR REPLACE TRIGGER tg_daily_attendances__refuse_after_submission
AFTER INSERT OR UPDATE ON timesheet_context.daily_attendances
FOR EACH ROW EXECUTE FUNCTION timesheet_context.tg_daily_attendances__refuse_after_submission();

CREATE OR REPLACE TRIGGER tg_daily_attendances__refuse_delete_after_submission
BEFORE DELETE ON timesheet_context.daily_attendances
FOR EACH ROW EXECUTE FUNCTION timesheet_context.tg_daily_attendances__refuse_after_submission();

COMMENT ON TRIGGER tg_daily_attendances__refuse_after_submission ON timesheet_context.daily_attendances IS
'Attendance of a submitted timesheet is not edited (SE171): changes are adjustments.';
COMMENT ON TRIGGER tg_daily_attendances__refuse_delete_after_submission ON timesheet_context.daily_attendances IS
'Attendance of a submitted timesheet is not deleted (SE171), ahead of the soft delete.';
