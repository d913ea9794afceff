-- requires: sql/triggers/timesheet_context/tg_timesheet_adjustments__decide.sql
-- requires: sql/triggers/timesheet_context/tg_timesheet_adjustments__apply_decision.sql
-- Why: the one body of approve_timesheet_adjustment and
-- reject_timesheet_adjustment: find the adjustment the caller may see, answer
-- a repeated call without changing anything, name the version read
-- (optimistic locking: a stale version is SE001 from tg_bump_version), and
-- let the table's triggers do the rest (four eyes SE211, a decided adjustment
-- fixed SE210, where an approval goes, the timesheet's totals, the event).
-- SECURITY INVOKER: row-level security decides whose adjustments the caller
-- may decide (a project manager: those of their projects; an admin: all).
CREATE OR REPLACE FUNCTION timesheet_context.decide_timesheet_adjustment(
    p_adjustment_id uuid,
    p_expected_version integer,
    p_decision text,
    p_reason text DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_row record;
    v_after record;
BEGIN
    IF p_decision IS NULL OR p_decision NOT IN ('APPROVED', 'REJECTED') THEN
        RAISE EXCEPTION 'invalid p_decision: % (APPROVED or REJECTED)', coalesce(pg_catalog.quote_literal(p_decision), 'NULL')
            USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=p_decision value=%s', p_decision);
    END IF;
    IF p_expected_version IS NULL OR p_expected_version < 1 THEN
        RAISE EXCEPTION 'invalid p_expected_version: % (the version you read, 1 or more)',
            coalesce(p_expected_version::text, 'NULL')
            USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=p_expected_version value=%s', p_expected_version);
    END IF;
    SELECT a.id, a.status, a.version, a.rejection_reason
    INTO v_row
    FROM timesheet_context.timesheet_adjustments AS a
    WHERE a.id = p_adjustment_id AND a.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invalid p_adjustment_id: % (no adjustment you may decide: unknown, deleted, or not of your projects)',
            coalesce(p_adjustment_id::text, 'NULL')
            USING ERRCODE = 'SE212', DETAIL = pg_catalog.format('field=p_adjustment_id value=%s', p_adjustment_id);
    END IF;

    IF v_row.status <> 'PENDING' THEN
        IF (p_decision = 'REJECTED') = (v_row.status = 'REJECTED')
           AND (p_decision = 'APPROVED' OR v_row.rejection_reason = p_reason) THEN
            RETURN pg_catalog.format('timesheet adjustment %s is already %s (version %s): nothing changed',
                v_row.id, v_row.status, v_row.version);
        END IF;
        RAISE EXCEPTION 'timesheet adjustment % is already %: it cannot be % now', v_row.id, v_row.status,
            pg_catalog.lower(p_decision)
            USING ERRCODE = 'SE210',
                  DETAIL = pg_catalog.format('adjustment_id=%s status=%s decision=%s', v_row.id, v_row.status, p_decision),
                  HINT = 'Record a new adjustment to correct it.';
    END IF;

    UPDATE timesheet_context.timesheet_adjustments AS a
    SET status = p_decision,
        rejection_reason = CASE WHEN p_decision = 'REJECTED' THEN p_reason END,
        version = p_expected_version
    WHERE a.id = v_row.id
    RETURNING a.status, a.version, a.applies_to_year, a.applies_to_month INTO v_after;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invalid p_adjustment_id: % (you may read this adjustment but not decide it)', v_row.id
            USING ERRCODE = '42501', DETAIL = pg_catalog.format('field=p_adjustment_id value=%s', v_row.id);
    END IF;
    RETURN pg_catalog.format('timesheet adjustment %s PENDING -> %s (version %s)%s', v_row.id, v_after.status,
        v_after.version, CASE
            WHEN v_after.status = 'APPLIED' THEN ': the timesheet''s totals include it'
            WHEN v_after.status = 'APPROVED' AND v_after.applies_to_year IS NOT NULL THEN
                pg_catalog.format(': settled with %s-%s', v_after.applies_to_year,
                                  pg_catalog.lpad(v_after.applies_to_month::text, 2, '0'))
            WHEN v_after.status = 'APPROVED' THEN ': settled with its month''s close'
            ELSE '' END);
END
$$;

COMMENT ON FUNCTION timesheet_context.decide_timesheet_adjustment(uuid, integer, text, text) IS
'Approve (p_decision APPROVED) or reject (REJECTED, with p_reason) a PENDING timesheet adjustment the caller may decide, at the version read. Called by approve_timesheet_adjustment and reject_timesheet_adjustment; a repeated call changes nothing and says so. SE001 stale version, SE210 decided otherwise already, SE211 own request, SE212 bad argument or no such adjustment.';

REVOKE EXECUTE ON FUNCTION timesheet_context.decide_timesheet_adjustment(uuid, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.decide_timesheet_adjustment(uuid, integer, text, text)
TO ses_admin_role, ses_project_manager_role;
