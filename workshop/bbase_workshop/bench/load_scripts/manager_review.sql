-- Project manager: the dashboard (their projects, last month's timesheets of those
-- projects), then the internal approval of one customer-approved timesheet when one waits.
-- The timesheet is claimed with FOR UPDATE SKIP LOCKED, so a client never waits for another
-- manager's approval of the same sheet, and approves at the version it locked.
\set slot random(0, :n_month - 1)
BEGIN \; SELECT s.project_manager_id AS uid, s.timesheet_id AS ts FROM bench_load.month_sheets AS s WHERE s.slot = :slot \gset
SET LOCAL ROLE ses_project_manager_role \; SELECT ses_common.act_as(':uid') \; SELECT p.id, p.project_code, p.name, p.status, p.end_date FROM project_context.projects AS p WHERE p.deleted_at IS NULL ORDER BY p.start_date DESC LIMIT 20 \; SELECT t.id, t.engineer_id, t.status, t.billable_hours, t.out_of_range FROM timesheet_context.timesheets AS t WHERE t.period_year = :py AND t.period_month = :pm AND t.deleted_at IS NULL ORDER BY t.status, t.id \; SELECT coalesce(max(x.version), 0) AS v FROM (SELECT t.version FROM timesheet_context.timesheets AS t WHERE t.id = ':ts' AND t.period_year = :py AND t.period_month = :pm AND t.status = 'CLIENT_APPROVED' FOR UPDATE SKIP LOCKED) AS x \gset
\if :v > 0
SELECT timesheet_context.approve_timesheet_internally(':ts', :v) \; END;
\else
END;
\endif
