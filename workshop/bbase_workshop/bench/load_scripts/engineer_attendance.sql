-- Engineer: enter one day of this month's attendance (timesheet_context.record_attendance),
-- then read the month back, as the application's attendance screen does.
-- Each client owns the (timesheet, day) slots congruent to its client id, so two clients
-- never write the same day at once (one engineer is one person). A day recorded before is
-- changed at the version read (optimistic locking).
\set slot :client_id + :clients * random(0, greatest((:n_sheets * 28 - 1 - :client_id) / :clients, 0))
\set sheet mod(:slot, :n_sheets)
\set day 1 + :slot / :n_sheets
\set start_min random(32, 40) * 15
\set end_min :start_min + random(34, 42) * 15
BEGIN \; SELECT s.engineer_id AS uid, s.timesheet_id AS ts FROM bench_load.engineer_sheets AS s WHERE s.sheet_no = :sheet \gset
SET LOCAL ROLE ses_engineer_role \; SELECT ses_common.act_as(':uid') \; SELECT coalesce(max(d.version), 0) AS v FROM timesheet_context.daily_attendances AS d WHERE d.timesheet_id = ':ts' AND d.period_year = :y AND d.period_month = :m AND d.work_date = make_date(:y, :m, :day) AND d.deleted_at IS NULL \gset
SELECT timesheet_context.record_attendance(':ts', make_date(:y, :m, :day), make_time(:start_min / 60, :start_min % 60, 0), make_time(:end_min / 60, :end_min % 60, 0), 60, 'WORK', NULL, nullif(:v, 0)) \; SELECT d.work_date, d.work_minutes, d.billable_minutes FROM timesheet_context.daily_attendances AS d WHERE d.timesheet_id = ':ts' AND d.period_year = :y AND d.period_month = :m AND d.deleted_at IS NULL ORDER BY d.work_date \; END;
