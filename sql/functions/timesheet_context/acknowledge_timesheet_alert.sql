-- requires: sql/functions/ses_common/current_user_id.sql
-- requires: sql/functions/timesheet_context/has_unacknowledged_alert.sql
-- Why: billable hours outside the settlement range (精算幅) raise an ALERT
-- at submission; a reviewer (project manager of the project) must look at it
-- before internal approval. The acknowledgement is a step of its own
-- (ACKNOWLEDGE) in the append-only approval trail.
-- SECURITY INVOKER: the project manager's policy lets them add steps, as
-- themselves, only on timesheets of their projects.
CREATE OR REPLACE FUNCTION timesheet_context.acknowledge_timesheet_alert(
    p_timesheet_id uuid,
    p_expected_version integer,
    p_comment text DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_row record;
    v_actor uuid := ses_common.current_user_id();
BEGIN
    SELECT t.id, t.period_year, t.period_month, t.status, t.version, t.billable_hours
    INTO v_row
    FROM timesheet_context.timesheets AS t
    WHERE t.id = p_timesheet_id AND t.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invalid p_timesheet_id: % (no timesheet you may act on: unknown, deleted, or not yours)',
            coalesce(p_timesheet_id::text, 'NULL')
            USING ERRCODE = 'SE172', DETAIL = pg_catalog.format('field=p_timesheet_id value=%s', p_timesheet_id);
    END IF;
    IF NOT timesheet_context.has_unacknowledged_alert(v_row.id) THEN
        RETURN pg_catalog.format('timesheet %s has no unacknowledged ALERT (version %s): nothing changed',
            v_row.id, v_row.version);
    END IF;
    IF p_expected_version IS DISTINCT FROM v_row.version THEN
        RAISE EXCEPTION 'stale version of timesheet %: you read version %, it is at version %',
            v_row.id, p_expected_version, v_row.version
            USING ERRCODE = 'SE001',
                  DETAIL = pg_catalog.format('id=%s expected_version=%s current_version=%s',
                                             v_row.id, p_expected_version, v_row.version),
                  HINT = 'Read the timesheet again (its hours may have changed) and acknowledge again.';
    END IF;
    IF v_actor IS NULL THEN
        RAISE EXCEPTION 'invalid acting user: NULL (call ses_common.act_as(<your user id>) first)'
            USING ERRCODE = 'SE172', DETAIL = 'field=app.current_user_id value=NULL';
    END IF;
    INSERT INTO timesheet_context.timesheet_approval_steps (
        timesheet_id, period_year, period_month, step_no, action, from_status, to_status, actor_type,
        actor_id, comment
    )
    SELECT
        v_row.id, v_row.period_year, v_row.period_month, coalesce(max(s.step_no), 0) + 1, 'ACKNOWLEDGE',
        v_row.status, v_row.status, 'PROJECT_MANAGER', v_actor,
        coalesce(p_comment, pg_catalog.format('%s billable hours reviewed', v_row.billable_hours))
    FROM timesheet_context.timesheet_approval_steps AS s
    WHERE s.timesheet_id = v_row.id AND s.deleted_at IS NULL;
    RETURN pg_catalog.format('timesheet %s: ALERT acknowledged (%s billable hours); it may be approved now',
        v_row.id, v_row.billable_hours);
END
$$;

COMMENT ON FUNCTION timesheet_context.acknowledge_timesheet_alert(uuid, integer, text) IS
'Project manager: acknowledge the ALERT of a submitted timesheet of your project whose billable hours fall outside the settlement range, at the version you read, optionally with a comment; adds an ACKNOWLEDGE step so approve_timesheet_internally is no longer refused (SE173). Nothing to acknowledge: changes nothing and says so. SE001 stale version, SE172 no such timesheet of yours or no acting user.';

REVOKE EXECUTE ON FUNCTION timesheet_context.acknowledge_timesheet_alert(uuid, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.acknowledge_timesheet_alert(uuid, integer, text)
TO ses_project_manager_role, ses_admin_role;
