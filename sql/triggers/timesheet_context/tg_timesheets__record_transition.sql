-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/ses_common/emit_event.sql
-- requires: sql/functions/timesheet_context/list_timesheet_transitions.sql
-- Why: every transition is logged (timesheet_approval_steps) and announced
-- (ses_common.event_outbox) in the transaction of the change, so there is no
-- event without its change and none for a rolled-back one: TimesheetSubmitted
-- (with an ALERT step when the billable hours fall outside the settlement
-- range), TimesheetClientApproved, TimesheetApproved, TimesheetRejected,
-- TimesheetClosed. A rejection (REJECTED, with its reason) returns the
-- timesheet to DRAFT at once (REOPEN by SYSTEM), so the engineer can correct
-- and resubmit it.
-- SECURITY DEFINER, owned by the owner: engineers may not write steps, no
-- role may emit events, and the REOPEN must reach a row the rejecting
-- customer may not set to DRAFT; it turns on the owner's maintenance policy
-- like every SES maintenance trigger. It writes nothing but the step rows, the
-- event and the REOPEN of the row that changed; trigger functions cannot be
-- called directly.
CREATE OR REPLACE FUNCTION timesheet_context.tg_timesheets__record_transition()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_transition record;
    v_actor uuid := ses_common.current_user_id();
    v_actor_type text;
    v_step smallint;
    v_event text;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT t.action, t.actor_type INTO v_transition
    FROM timesheet_context.list_timesheet_transitions() AS t
    WHERE t.from_status = OLD.status AND t.to_status = NEW.status
    LIMIT 1;
    v_actor_type := CASE
        WHEN v_transition.actor_type = 'SYSTEM' THEN 'SYSTEM'
        WHEN v_actor = NEW.customer_id THEN 'CUSTOMER'
        WHEN v_actor = NEW.engineer_id THEN 'ENGINEER'
        WHEN v_transition.actor_type IN ('CUSTOMER', 'ENGINEER') THEN 'PROJECT_MANAGER'
        ELSE v_transition.actor_type
    END;
    SELECT coalesce(max(s.step_no), 0) + 1 INTO v_step
    FROM timesheet_context.timesheet_approval_steps AS s
    WHERE s.timesheet_id = NEW.id AND s.deleted_at IS NULL;

    INSERT INTO timesheet_context.timesheet_approval_steps (
        timesheet_id, period_year, period_month, step_no, action, from_status, to_status, actor_type, actor_id, comment
    ) VALUES (
        NEW.id, NEW.period_year, NEW.period_month, v_step, v_transition.action, OLD.status, NEW.status, v_actor_type,
        CASE WHEN v_actor_type <> 'SYSTEM' THEN v_actor END,
        CASE WHEN NEW.status = 'REJECTED' THEN NEW.rejection_reason END
    );
    IF NEW.status = 'SUBMITTED' AND NEW.out_of_range THEN
        INSERT INTO timesheet_context.timesheet_approval_steps (
            timesheet_id, period_year, period_month, step_no, action, from_status, to_status, actor_type, comment
        ) VALUES (
            NEW.id, NEW.period_year, NEW.period_month, v_step + 1, 'ALERT', NEW.status, NEW.status, 'SYSTEM',
            pg_catalog.format('%s billable hours outside the settlement range (overtime %s h, shortage %s h)',
                NEW.billable_hours, NEW.overtime_hours, NEW.shortage_hours)
        );
    END IF;

    v_event := CASE v_transition.action
        WHEN 'SUBMIT' THEN 'TimesheetSubmitted'
        WHEN 'CLIENT_APPROVE' THEN 'TimesheetClientApproved'
        WHEN 'APPROVE' THEN 'TimesheetApproved'
        WHEN 'REJECT' THEN 'TimesheetRejected'
        WHEN 'CLOSE' THEN 'TimesheetClosed'
    END;
    IF v_event IS NOT NULL THEN
        PERFORM ses_common.emit_event(v_event, 'timesheet_context', 'timesheet', NEW.id, pg_catalog.jsonb_build_object(
            'timesheet_id', NEW.id, 'period_year', NEW.period_year, 'period_month', NEW.period_month,
            'contract_id', NEW.contract_id, 'engineer_id', NEW.engineer_id, 'project_id', NEW.project_id,
            'customer_id', NEW.customer_id, 'from_status', OLD.status, 'status', NEW.status,
            'total_work_minutes', NEW.total_work_minutes, 'billable_hours', NEW.billable_hours,
            'overtime_hours', NEW.overtime_hours, 'shortage_hours', NEW.shortage_hours,
            'out_of_range', NEW.out_of_range, 'actor_type', v_actor_type, 'actor_id', v_actor,
            'version', NEW.version));
    END IF;

    IF NEW.status = 'REJECTED' THEN
        UPDATE timesheet_context.timesheets AS t
        SET status = 'DRAFT'
        WHERE t.id = NEW.id AND t.period_year = NEW.period_year AND t.period_month = NEW.period_month;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_timesheets__record_transition() IS
'Trigger function (AFTER UPDATE OF status on timesheets, when it changes): adds the approval step of the transition (actor = the acting user; the rejection reason as comment), an ALERT step when a submission is out of range, emits TimesheetSubmitted / TimesheetClientApproved / TimesheetApproved / TimesheetRejected / TimesheetClosed (ids, period, status, hours; no personal data), and returns a REJECTED timesheet to DRAFT.';

REVOKE EXECUTE ON FUNCTION timesheet_context.tg_timesheets__record_transition() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_timesheets__record_transition
AFTER UPDATE OF status ON timesheet_context.timesheets
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION timesheet_context.tg_timesheets__record_transition();

COMMENT ON TRIGGER tg_timesheets__record_transition ON timesheet_context.timesheets IS
'Logs each status transition as an approval step, emits its event, reopens rejected timesheets (see the function).';
