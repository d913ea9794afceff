-- Why: "out-of-range hours raise ALERT" and a reviewer must look before
-- internal approval. Since the latest submission, an ALERT step with no
-- ACKNOWLEDGE step after it blocks approval. The rule is read by the
-- transition trigger (refusal SE173) and by acknowledge_timesheet_alert.
-- SECURITY INVOKER: it reads the steps the caller may read.
CREATE OR REPLACE FUNCTION timesheet_context.has_unacknowledged_alert(p_timesheet_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
    WITH live AS (
        SELECT s.step_no, s.action
        FROM timesheet_context.timesheet_approval_steps AS s
        WHERE s.timesheet_id = p_timesheet_id AND s.deleted_at IS NULL
    ),

    last_submit AS (
        SELECT coalesce(max(l.step_no), 0) AS step_no FROM live AS l WHERE l.action = 'SUBMIT'
    )

    SELECT EXISTS (
        SELECT FROM live AS a, last_submit AS ls
        WHERE
            a.action = 'ALERT' AND a.step_no > ls.step_no
            AND NOT EXISTS (SELECT FROM live AS k WHERE k.action = 'ACKNOWLEDGE' AND k.step_no > a.step_no)
    );
$$;

COMMENT ON FUNCTION timesheet_context.has_unacknowledged_alert(uuid) IS
'True when the timesheet''s latest submission raised an ALERT (billable hours outside the settlement range) that no ACKNOWLEDGE step has followed yet; internal approval is refused (SE173) until timesheet_context.acknowledge_timesheet_alert is called.';

REVOKE EXECUTE ON FUNCTION timesheet_context.has_unacknowledged_alert(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.has_unacknowledged_alert(uuid)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
