-- requires: sql/functions/timesheet_context/read_client_approval_gate.sql
-- requires: sql/functions/ses_common/current_user_id.sql
-- requires: sql/functions/timesheet_context/list_timesheet_transitions.sql
-- requires: sql/functions/timesheet_context/has_unacknowledged_alert.sql
-- requires: sql/functions/timesheet_context/truncate_to_time_unit.sql
-- requires: sql/functions/timesheet_context/writes_as_owner.sql
-- Why: the approval workflow is only trustworthy if the database itself
-- refuses illegal status changes, whoever issues the UPDATE (a workflow
-- function, a direct UPDATE allowed by a policy, psql). The state machine is
-- timesheet_context.list_timesheet_transitions(); the contract's
-- client_approval_gate decides whether the customer's approval is needed
-- (NONE: internal approval straight from SUBMITTED; otherwise never). An
-- unacknowledged ALERT blocks internal approval (SE173). On submission the
-- totals are recomputed from the attendance (the caller's values are not
-- trusted); after submission the totals and what they were computed from are
-- fixed (SE171) and changes go through timesheet_adjustments. Who and when
-- are stamped here, not taken from the caller. A pair the state machine
-- does not list is refused BEFORE the row is written (SE170); the client
-- approval gate and the ALERT, which read other tables, are checked AFTER the
-- row (the same function, second trigger), once row-level security has
-- checked the new row, so a role the policy refuses gets its 42501 first.
-- SECURITY INVOKER: it reads the attendance, contract and steps the writer
-- may read (the engineer their own, the project manager their projects').
CREATE OR REPLACE FUNCTION timesheet_context.tg_timesheets__enforce_transition()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_allowed text;
    v_gate text;
    v_action text;
    v_contract record;
    v_days integer;
    v_work integer;
    v_billable integer;
    v_actor uuid := ses_common.current_user_id();
BEGIN
    IF TG_WHEN = 'BEFORE' AND OLD.status NOT IN ('DRAFT', 'REJECTED') AND NOT timesheet_context.writes_as_owner() AND (
        NEW.contract_id IS DISTINCT FROM OLD.contract_id OR NEW.engineer_id IS DISTINCT FROM OLD.engineer_id
        OR NEW.project_id IS DISTINCT FROM OLD.project_id OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
        OR NEW.working_days IS DISTINCT FROM OLD.working_days
        OR NEW.total_work_minutes IS DISTINCT FROM OLD.total_work_minutes
        OR NEW.billable_hours IS DISTINCT FROM OLD.billable_hours
        OR NEW.overtime_hours IS DISTINCT FROM OLD.overtime_hours
        OR NEW.shortage_hours IS DISTINCT FROM OLD.shortage_hours
        OR NEW.out_of_range IS DISTINCT FROM OLD.out_of_range
        OR NEW.work_summary IS DISTINCT FROM OLD.work_summary
        OR NEW.report_file_uri IS DISTINCT FROM OLD.report_file_uri) THEN
        RAISE EXCEPTION 'timesheet % is %: its hours and report cannot change', OLD.id, OLD.status
            USING ERRCODE = 'SE171',
                  DETAIL = pg_catalog.format('id=%s status=%s', OLD.id, OLD.status),
                  HINT = 'Record the change as a timesheet_adjustments row (reason, delta), or have it rejected back to DRAFT.';
    END IF;

    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
        RETURN CASE WHEN TG_WHEN = 'BEFORE' THEN NEW END;
    END IF;

    IF NOT EXISTS (
        SELECT FROM timesheet_context.list_timesheet_transitions() AS t
        WHERE t.from_status = OLD.status AND t.to_status = NEW.status
    ) THEN
        SELECT coalesce(pg_catalog.string_agg(t.to_status, ', ' ORDER BY t.to_status), 'nothing')
        INTO v_allowed
        FROM timesheet_context.list_timesheet_transitions() AS t
        WHERE t.from_status = OLD.status;
        RAISE EXCEPTION 'illegal timesheet status transition % -> % for timesheet %', OLD.status, NEW.status, OLD.id
            USING ERRCODE = 'SE170',
                  DETAIL = pg_catalog.format('id=%s from=%s to=%s', OLD.id, OLD.status, NEW.status),
                  HINT = pg_catalog.format('From %s a timesheet may change to %s (timesheet_context.list_timesheet_transitions()).',
                      OLD.status, v_allowed);
    END IF;

    SELECT t.action INTO v_action
    FROM timesheet_context.list_timesheet_transitions() AS t
    WHERE t.from_status = OLD.status AND t.to_status = NEW.status
    LIMIT 1;

    IF TG_WHEN = 'AFTER' THEN
        -- The client approval gate in force for the timesheet's month decides
        -- which of the state machine's transitions this contract has.
        v_gate := timesheet_context.read_client_approval_gate(OLD.contract_id, OLD.period_year, OLD.period_month);
        IF NOT EXISTS (
            SELECT FROM timesheet_context.list_timesheet_transitions() AS t
            WHERE t.from_status = OLD.status AND t.to_status = NEW.status AND v_gate = ANY(t.client_approval_gates)
        ) THEN
            SELECT coalesce(pg_catalog.string_agg(t.to_status, ', ' ORDER BY t.to_status), 'nothing')
            INTO v_allowed
            FROM timesheet_context.list_timesheet_transitions() AS t
            WHERE t.from_status = OLD.status AND v_gate = ANY(t.client_approval_gates);
            RAISE EXCEPTION 'illegal timesheet status transition % -> % for timesheet %: the contract''s client approval gate is %',
                OLD.status, NEW.status, OLD.id, coalesce(v_gate, 'unknown')
                USING ERRCODE = 'SE170',
                      DETAIL = pg_catalog.format('id=%s from=%s to=%s client_approval_gate=%s',
                                                 OLD.id, OLD.status, NEW.status, v_gate),
                      HINT = pg_catalog.format('Under client_approval_gate %s a %s timesheet may change to %s (%s).',
                          v_gate, OLD.status, v_allowed, CASE v_gate
                              WHEN 'NONE' THEN 'no customer approval: approve it internally'
                              WHEN 'AFTER_INTERNAL_APPROVAL' THEN 'we approve first, then the customer'
                              ELSE 'the customer approves first (approve_timesheet_as_customer)' END);
        END IF;

        -- Our internal approval is never the customer's or the engineer's (the
        -- customer's policy admits APPROVED for the customer's own approval
        -- under AFTER_INTERNAL_APPROVAL, INTERNALLY_APPROVED -> APPROVED).
        IF v_action = 'APPROVE' AND v_actor IN (OLD.customer_id, OLD.engineer_id)
            AND NOT timesheet_context.writes_as_owner() THEN
            RAISE EXCEPTION 'user % is the % of timesheet % and cannot approve it internally', v_actor,
                CASE WHEN v_actor = OLD.customer_id THEN 'customer' ELSE 'engineer' END, OLD.id
                USING ERRCODE = '42501',
                      DETAIL = pg_catalog.format('id=%s actor=%s', OLD.id, v_actor),
                      HINT = 'Our internal approval is the project manager''s (approve_timesheet_internally).';
        END IF;

        IF v_action = 'APPROVE' AND timesheet_context.has_unacknowledged_alert(OLD.id) THEN
            RAISE EXCEPTION 'timesheet % has an unacknowledged ALERT: % billable hours are outside the settlement range',
                OLD.id, OLD.billable_hours
                USING ERRCODE = 'SE173',
                      DETAIL = pg_catalog.format('id=%s billable_hours=%s', OLD.id, OLD.billable_hours),
                      HINT = 'Review the hours, then call timesheet_context.acknowledge_timesheet_alert(id, version).';
        END IF;
        RETURN NULL;
    END IF;


    IF NEW.status = 'SUBMITTED' THEN
        SELECT c.time_unit_minutes, c.rounding_scope, c.settlement_method, c.lower_hours, c.upper_hours
        INTO v_contract
        FROM contract_context.contracts AS c WHERE c.id = OLD.contract_id;
        SELECT
            count(*) FILTER (WHERE d.work_minutes > 0), coalesce(sum(d.work_minutes), 0),
            coalesce(sum(d.billable_minutes), 0)
        INTO v_days, v_work, v_billable
        FROM timesheet_context.daily_attendances AS d
        WHERE d.timesheet_id = OLD.id AND d.period_year = OLD.period_year AND d.period_month = OLD.period_month
            AND d.deleted_at IS NULL;
        IF v_contract.rounding_scope = 'MONTHLY' THEN
            v_billable := timesheet_context.truncate_to_time_unit(v_work, v_contract.time_unit_minutes);
        END IF;
        NEW.working_days := v_days;
        NEW.total_work_minutes := v_work;
        NEW.billable_hours := pg_catalog.trunc(v_billable / 60.0, 2);
        IF v_contract.settlement_method IN ('UPPER_LOWER', 'MIDPOINT')
            AND v_contract.lower_hours IS NOT NULL AND v_contract.upper_hours IS NOT NULL THEN
            NEW.overtime_hours := pg_catalog.trunc(greatest(v_billable - v_contract.upper_hours * 60, 0) / 60.0, 2);
            NEW.shortage_hours := pg_catalog.trunc(greatest(v_contract.lower_hours * 60 - v_billable, 0) / 60.0, 2);
            NEW.out_of_range := v_billable < v_contract.lower_hours * 60 OR v_billable > v_contract.upper_hours * 60;
        ELSE
            NEW.overtime_hours := 0;
            NEW.shortage_hours := 0;
            NEW.out_of_range := false;
        END IF;
        NEW.submitted_at := pg_catalog.now();
    ELSIF v_action = 'CLIENT_APPROVE' THEN
        NEW.client_approved_at := pg_catalog.now();
        NEW.client_approved_by := v_actor;
    ELSIF v_action = 'APPROVE' THEN
        IF v_actor IS NULL THEN
            RAISE EXCEPTION 'invalid acting user: NULL (an internal approval names its approver: call ses_common.act_as first)'
                USING ERRCODE = 'SE172', DETAIL = 'field=app.current_user_id value=NULL';
        END IF;
        NEW.approved_at := pg_catalog.now();
        NEW.approved_by := v_actor;
    ELSIF NEW.status = 'CLOSED' THEN
        NEW.closed_at := pg_catalog.now();
    ELSIF NEW.status = 'REJECTED' THEN
        NEW.rejected_at := pg_catalog.now();
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_timesheets__enforce_transition() IS
'Trigger function (BEFORE UPDATE and AFTER UPDATE OF status on timesheets). BEFORE: refuses status changes not in timesheet_context.list_timesheet_transitions() (SE170). AFTER: refuses those the state machine lists only for other client_approval_gates than the contract''s for the timesheet''s month (SE170), internal approval by the timesheet''s customer or engineer (42501), internal approval with an unacknowledged ALERT (SE173). BEFORE: refuses changes of the hours, report or parties of a timesheet past DRAFT (SE171); on DRAFT -> SUBMITTED recomputes working_days, total_work_minutes, billable/overtime/shortage hours and out_of_range from the live attendance and the contract (MONTHLY rounding truncates the total); stamps submitted_at, client_approved_at/by, approved_at/by (the acting user), closed_at, rejected_at.';

CREATE OR REPLACE TRIGGER tg_timesheets__enforce_transition
BEFORE UPDATE ON timesheet_context.timesheets
FOR EACH ROW EXECUTE FUNCTION timesheet_context.tg_timesheets__enforce_transition();

CREATE OR REPLACE TRIGGER tg_timesheets__check_transition
AFTER UPDATE OF status ON timesheet_context.timesheets
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION timesheet_context.tg_timesheets__enforce_transition();

COMMENT ON TRIGGER tg_timesheets__enforce_transition ON timesheet_context.timesheets IS
'Illegal status pairs (SE170) and the lock after submission (SE171); stamps and recomputes the totals of a legal transition (see the function).';

COMMENT ON TRIGGER tg_timesheets__check_transition ON timesheet_context.timesheets IS
'Refuses transitions against the contract''s client approval gate (SE170) and internal approval with an unacknowledged ALERT (SE173), after the row-level security check, so a role the policy refuses gets 42501 first.';
