-- requires: sql/functions/ses_common/emit_event.sql, sql/functions/ses_common/current_user_id.sql
-- requires: sql/triggers/timesheet_context/tg_timesheet_adjustments__decide.sql
-- Why: an approved adjustment of hours changes what the month bills, so the
-- timesheet's totals (total_work_minutes, billable/overtime/shortage hours,
-- out_of_range, from the contract's settlement range) change in the
-- transaction of the approval, and every decision is announced in the
-- outbox in that transaction: TimesheetAdjusted (approved: applied to the
-- totals, or approved for a later close) or TimesheetAdjustmentRejected,
-- for the project manager and finance (ids, period, deltas, statuses; never
-- the reason, which may name people).
-- SECURITY DEFINER, owned by the owner, search_path pinned: the totals of a
-- submitted timesheet are locked for every application role (SE171) and no
-- role may emit events; it turns on the owner's maintenance policy (forced
-- row-level security) for this transaction. It writes nothing but the
-- totals of the adjusted timesheet and the event; trigger functions cannot
-- be called directly.
CREATE OR REPLACE FUNCTION timesheet_context.tg_timesheet_adjustments__apply_decision()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_sheet record;
    v_billable numeric;
    v_project_id uuid;
BEGIN
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT t.project_id INTO v_project_id
    FROM timesheet_context.timesheets AS t
    WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year AND t.period_month = NEW.period_month;
    IF NEW.status = 'APPLIED' AND NEW.delta_minutes <> 0 THEN
        SELECT t.billable_hours * 60 + NEW.delta_minutes AS billable, c.settlement_method, c.lower_hours, c.upper_hours
        INTO v_sheet
        FROM timesheet_context.timesheets AS t
        INNER JOIN contract_context.contracts AS c ON t.contract_id = c.id
        WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year AND t.period_month = NEW.period_month;
        v_billable := v_sheet.billable;
        UPDATE timesheet_context.timesheets AS t
        SET total_work_minutes = t.total_work_minutes + NEW.delta_minutes,
            billable_hours = pg_catalog.trunc(v_billable / 60.0, 2),
            overtime_hours = CASE WHEN v_sheet.settlement_method IN ('UPPER_LOWER', 'MIDPOINT')
                AND v_sheet.upper_hours IS NOT NULL
                THEN pg_catalog.trunc(greatest(v_billable - v_sheet.upper_hours * 60, 0) / 60.0, 2) ELSE 0 END,
            shortage_hours = CASE WHEN v_sheet.settlement_method IN ('UPPER_LOWER', 'MIDPOINT')
                AND v_sheet.lower_hours IS NOT NULL
                THEN pg_catalog.trunc(greatest(v_sheet.lower_hours * 60 - v_billable, 0) / 60.0, 2) ELSE 0 END,
            out_of_range = v_sheet.settlement_method IN ('UPPER_LOWER', 'MIDPOINT')
                AND v_sheet.lower_hours IS NOT NULL AND v_sheet.upper_hours IS NOT NULL
                AND (v_billable < v_sheet.lower_hours * 60 OR v_billable > v_sheet.upper_hours * 60)
        WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year AND t.period_month = NEW.period_month;
    END IF;

    PERFORM ses_common.emit_event(
        CASE WHEN NEW.status = 'REJECTED' THEN 'TimesheetAdjustmentRejected' ELSE 'TimesheetAdjusted' END,
        'timesheet_context', 'timesheet', NEW.timesheet_id,
        pg_catalog.jsonb_build_object(
            'timesheet_id', NEW.timesheet_id, 'adjustment_id', NEW.id, 'project_id', v_project_id,
            'period_year', NEW.period_year, 'period_month', NEW.period_month,
            'adjustment_type', NEW.adjustment_type, 'delta_minutes', NEW.delta_minutes,
            'delta_amount', NEW.delta_amount, 'status', NEW.status, 'previous_status', OLD.status,
            'applies_to_year', NEW.applies_to_year, 'applies_to_month', NEW.applies_to_month,
            'requested_by', NEW.requested_by, 'decided_by', coalesce(NEW.approved_by, NEW.rejected_by)));
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_timesheet_adjustments__apply_decision() IS
'Trigger function (AFTER UPDATE OF status on timesheet_adjustments, out of PENDING): an APPLIED adjustment adds its delta_minutes to the timesheet''s total_work_minutes and billable hours and recomputes overtime, shortage and out_of_range from the contract''s range; emits TimesheetAdjusted (APPLIED or APPROVED) or TimesheetAdjustmentRejected (timesheet, adjustment and project ids, period, deltas, statuses, who requested and decided; the notifications consumer tells the project manager).';

REVOKE EXECUTE ON FUNCTION timesheet_context.tg_timesheet_adjustments__apply_decision() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_timesheet_adjustments__apply_decision
AFTER UPDATE OF status ON timesheet_context.timesheet_adjustments
FOR EACH ROW WHEN (OLD.status = 'PENDING' AND NEW.status <> 'PENDING')
EXECUTE FUNCTION timesheet_context.tg_timesheet_adjustments__apply_decision();

COMMENT ON TRIGGER tg_timesheet_adjustments__apply_decision ON timesheet_context.timesheet_adjustments IS
'Applies an approved adjustment of hours to its timesheet''s totals and emits TimesheetAdjusted / TimesheetAdjustmentRejected (see the function).';
