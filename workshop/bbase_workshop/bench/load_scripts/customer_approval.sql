-- Customer: last month's timesheets of their engineers, then the approval of one that is
-- SUBMITTED (claimed with FOR UPDATE SKIP LOCKED, approved at the version locked).
\set slot random(0, :n_month - 1)
BEGIN \; SELECT s.customer_id AS uid, s.timesheet_id AS ts FROM bench_load.month_sheets AS s WHERE s.slot = :slot \gset
SET LOCAL ROLE ses_customer_role \; SELECT ses_common.act_as(':uid') \; SELECT t.id, t.engineer_id, t.status, t.billable_hours FROM timesheet_context.timesheets AS t WHERE t.period_year = :py AND t.period_month = :pm AND t.deleted_at IS NULL ORDER BY t.id \; SELECT coalesce(max(x.version), 0) AS v FROM (SELECT t.version FROM timesheet_context.timesheets AS t WHERE t.id = ':ts' AND t.period_year = :py AND t.period_month = :pm AND t.status = 'SUBMITTED' FOR UPDATE SKIP LOCKED) AS x \gset
\if :v > 0
SELECT timesheet_context.approve_timesheet_as_customer(':ts', :v) \; END;
\else
END;
\endif
