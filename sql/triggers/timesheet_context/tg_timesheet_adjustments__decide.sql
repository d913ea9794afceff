-- requires: sql/functions/ses_common/current_user_id.sql, sql/functions/timesheet_context/writes_as_owner.sql
-- Why: an adjustment (勤怠調整) changes what is billed, so it is decided by a
-- second person: approve or reject, once. The rules sit on the table, for
-- every UPDATE and not only approve/reject_timesheet_adjustment:
-- * a decided adjustment (APPROVED, APPLIED, REJECTED) is history: its status,
--   deltas and decision are fixed (SE210); a correction is a new adjustment;
-- * four eyes: the user who requested it cannot decide it (SE211);
-- * a decision names its user, a rejection its reason, and decides the
--   adjustment as requested (deltas, type, period unchanged), on a timesheet
--   that is still past DRAFT (one rejected back to DRAFT is corrected in its
--   attendance instead), without taking its minutes below zero (SE212);
-- * where an approval goes (ses-domain-rules.md section 6): HOURS on a
--   timesheet not yet invoiced become APPLIED (its totals change in this
--   transaction: tg_timesheet_adjustments__apply_decision); on a CLOSED
--   (invoiced) timesheet it is APPROVED for the next open period
--   (applies_to_year/month, set here when the timesheet was closed after the
--   request); amounts and expenses are APPROVED for the close to settle.
-- Who and when are stamped here. The owner's history loads (seed, restore)
-- pass, like every timesheet workflow trigger (writes_as_owner).
-- SECURITY INVOKER: it reads the timesheet as the decider may (a project
-- manager their projects', an admin all); row-level security on the
-- adjustment decides who may decide at all.
CREATE OR REPLACE FUNCTION timesheet_context.tg_timesheet_adjustments__decide()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_actor uuid := ses_common.current_user_id();
    v_sheet record;
    v_next date;
BEGIN
    IF timesheet_context.writes_as_owner() THEN
        RETURN NEW;
    END IF;
    IF OLD.status <> 'PENDING' THEN
        IF (NEW.status, NEW.adjustment_type, NEW.delta_minutes, NEW.delta_amount, NEW.reason, NEW.timesheet_id,
            NEW.applies_to_year, NEW.applies_to_month, NEW.requested_by, NEW.approved_by, NEW.approved_at,
            NEW.rejection_reason, NEW.rejected_by, NEW.rejected_at, NEW.deleted_at)
           IS DISTINCT FROM
           (OLD.status, OLD.adjustment_type, OLD.delta_minutes, OLD.delta_amount, OLD.reason, OLD.timesheet_id,
            OLD.applies_to_year, OLD.applies_to_month, OLD.requested_by, OLD.approved_by, OLD.approved_at,
            OLD.rejection_reason, OLD.rejected_by, OLD.rejected_at, OLD.deleted_at) THEN
            RAISE EXCEPTION 'timesheet adjustment % is already %: its decision and deltas are fixed', OLD.id, OLD.status
                USING ERRCODE = 'SE210',
                      DETAIL = pg_catalog.format('adjustment_id=%s status=%s', OLD.id, OLD.status),
                      HINT = 'Record a new adjustment to correct it.';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status = 'PENDING' THEN
        RETURN NEW;
    END IF;

    IF v_actor IS NULL THEN
        RAISE EXCEPTION 'invalid acting user: NULL (a decision names its user: call ses_common.act_as first)'
            USING ERRCODE = 'SE212', DETAIL = 'field=app.current_user_id value=NULL';
    END IF;
    IF v_actor = OLD.requested_by THEN
        RAISE EXCEPTION 'user % requested timesheet adjustment % and cannot decide it', v_actor, OLD.id
            USING ERRCODE = 'SE211',
                  DETAIL = pg_catalog.format('adjustment_id=%s requested_by=%s', OLD.id, OLD.requested_by),
                  HINT = 'Another project manager or admin decides it (four eyes).';
    END IF;
    IF (NEW.adjustment_type, NEW.delta_minutes, NEW.delta_amount, NEW.reason, NEW.timesheet_id,
        NEW.period_year, NEW.period_month, NEW.requested_by, NEW.deleted_at)
       IS DISTINCT FROM
       (OLD.adjustment_type, OLD.delta_minutes, OLD.delta_amount, OLD.reason, OLD.timesheet_id,
        OLD.period_year, OLD.period_month, OLD.requested_by, OLD.deleted_at) THEN
        RAISE EXCEPTION 'timesheet adjustment % is decided as requested: its type, deltas, reason and timesheet cannot change with the decision', OLD.id
            USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('adjustment_id=%s', OLD.id);
    END IF;

    IF NEW.status = 'REJECTED' THEN
        IF NEW.rejection_reason IS NULL OR pg_catalog.btrim(NEW.rejection_reason, E' \t\r\n\u3000') = '' THEN
            RAISE EXCEPTION 'invalid rejection_reason: % (a rejected adjustment keeps its reason)',
                coalesce(pg_catalog.quote_literal(NEW.rejection_reason), 'NULL')
                USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=rejection_reason value=%s', NEW.rejection_reason);
        END IF;
        NEW.rejected_by := v_actor;
        NEW.rejected_at := pg_catalog.now();
        NEW.approved_by := NULL;
        NEW.approved_at := NULL;
        RETURN NEW;
    END IF;
    IF NEW.status NOT IN ('APPROVED', 'APPLIED') THEN
        RAISE EXCEPTION 'invalid status: % (a PENDING adjustment is approved or rejected)', NEW.status
            USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=status value=%s', NEW.status);
    END IF;

    SELECT t.status, t.total_work_minutes, t.billable_hours INTO v_sheet
    FROM timesheet_context.timesheets AS t
    WHERE t.id = OLD.timesheet_id AND t.period_year = OLD.period_year AND t.period_month = OLD.period_month;
    IF NOT FOUND OR v_sheet.status IN ('DRAFT', 'REJECTED') THEN
        RAISE EXCEPTION 'the timesheet of adjustment % is %: correct its attendance instead', OLD.id,
            coalesce(v_sheet.status, 'not visible')
            USING ERRCODE = 'SE212',
                  DETAIL = pg_catalog.format('adjustment_id=%s timesheet_id=%s status=%s', OLD.id, OLD.timesheet_id,
                                             v_sheet.status),
                  HINT = 'Reject the adjustment; the engineer corrects the DRAFT and submits again.';
    END IF;
    NEW.approved_by := v_actor;
    NEW.approved_at := pg_catalog.now();
    NEW.rejection_reason := NULL;
    IF v_sheet.status = 'CLOSED' THEN
        v_next := (pg_catalog.make_date(OLD.period_year, OLD.period_month, 1) + interval '1 month')::date;
        NEW.status := 'APPROVED';
        NEW.applies_to_year := coalesce(OLD.applies_to_year, pg_catalog.date_part('year', v_next)::smallint);
        NEW.applies_to_month := coalesce(OLD.applies_to_month, pg_catalog.date_part('month', v_next)::smallint);
    ELSIF OLD.adjustment_type = 'HOURS' THEN
        IF v_sheet.total_work_minutes + OLD.delta_minutes < 0 OR v_sheet.billable_hours * 60 + OLD.delta_minutes < 0 THEN
            RAISE EXCEPTION 'invalid delta_minutes: % (the timesheet has % work minutes, % billable hours)',
                OLD.delta_minutes, v_sheet.total_work_minutes, v_sheet.billable_hours
                USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=delta_minutes value=%s', OLD.delta_minutes);
        END IF;
        NEW.status := 'APPLIED';
    ELSE
        NEW.status := 'APPROVED';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION timesheet_context.tg_timesheet_adjustments__decide() IS
'Trigger function (BEFORE UPDATE on timesheet_adjustments): a decided adjustment is fixed (SE210); the requester cannot decide their own (SE211); a decision names its user, a rejection its reason, and keeps the adjustment as requested on a timesheet past DRAFT (SE212). Stamps approved_by/at or rejected_by/at; an approval of HOURS on a timesheet not yet CLOSED becomes APPLIED (totals changed by tg_timesheet_adjustments__apply_decision), one on a CLOSED timesheet APPROVED for the next month (applies_to_year/month), amounts and expenses APPROVED.';

REVOKE EXECUTE ON FUNCTION timesheet_context.tg_timesheet_adjustments__decide() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_timesheet_adjustments__decide
BEFORE UPDATE ON timesheet_context.timesheet_adjustments
FOR EACH ROW EXECUTE FUNCTION timesheet_context.tg_timesheet_adjustments__decide();

COMMENT ON TRIGGER tg_timesheet_adjustments__decide ON timesheet_context.timesheet_adjustments IS
'Decides an adjustment once, by someone other than its requester (SE210, SE211, SE212; see the function).';
