-- Why: fills timesheet_context from the plan. A cycle month gets only the
-- empty DRAFT timesheet of each contract (what an admin opens for the
-- month); its days, submission, approvals and close are the workflow's
-- (cycles.sql). History months (--bulk-history only) are inserted finished:
-- totals as the sums of their daily attendances, the approval steps their
-- status has passed, and a few adjustments of closed months.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: timesheet_context.timesheets (cycle months: empty drafts)
INSERT INTO timesheet_context.timesheets (
    id, period_year, period_month, contract_id, engineer_id, project_id, customer_id, status,
    work_summary, created_at
)
SELECT
    cm.timesheet_id, cm.y, cm.mo, cm.contract_id, sc.engineer_id, sp.id,
    md5('ses-seed:customer:' || sp.customer_no)::uuid,
    'DRAFT',
    jsonb_build_object('tasks', jsonb_build_array((%(subjects)s::text[])[1 + mod(sp.project_no * 7, cardinality(%(subjects)s::text[]))])),
    cm.month_start::timestamptz
FROM seed_contract_months AS cm
INNER JOIN seed_contracts AS sc ON cm.k = sc.k
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
WHERE cm.is_cycle;

-- name: timesheet_context.timesheets (history months, inserted finished)
INSERT INTO timesheet_context.timesheets (
    id, period_year, period_month, contract_id, engineer_id, project_id, customer_id, status,
    working_days, total_work_minutes, billable_hours, overtime_hours, shortage_hours, out_of_range,
    work_summary, submitted_at, client_approved_at, client_approved_by, approved_at, approved_by,
    closed_at, created_at
)
SELECT
    st.timesheet_id, st.y, st.mo, st.contract_id, st.engineer_id, sp.id,
    md5('ses-seed:customer:' || sp.customer_no)::uuid,
    st.status, st.days, st.minutes, st.hours,
    CASE WHEN st.settlement_method <> 'FIXED' THEN greatest(0, st.hours - st.upper_hours) ELSE 0 END,
    CASE WHEN st.settlement_method <> 'FIXED' AND st.status <> 'DRAFT' THEN greatest(0, st.lower_hours - st.hours) ELSE 0 END,
    st.status <> 'DRAFT' AND st.settlement_method <> 'FIXED'
        AND (st.hours > st.upper_hours OR st.hours < st.lower_hours),
    jsonb_build_object('tasks', jsonb_build_array((%(subjects)s::text[])[1 + mod(st.project_no * 7, cardinality(%(subjects)s::text[]))]),
        'working_days', st.days, 'billable_hours', st.hours, 'remote_days', mod(st.k, 5) * st.days / 5),
    CASE WHEN st.status <> 'DRAFT' THEN (st.month_end + 1)::timestamptz END,
    CASE WHEN st.status IN ('CLIENT_APPROVED', 'APPROVED', 'CLOSED') THEN (st.month_end + 3)::timestamptz END,
    CASE WHEN st.status IN ('CLIENT_APPROVED', 'APPROVED', 'CLOSED') THEN md5('ses-seed:client-user:' || sp.customer_no)::uuid END,
    CASE WHEN st.status IN ('APPROVED', 'CLOSED') THEN (st.month_end + 4)::timestamptz END,
    CASE WHEN st.status IN ('APPROVED', 'CLOSED') THEN md5('ses-seed:staff:' || sp.pm_no)::uuid END,
    CASE WHEN st.status = 'CLOSED' THEN (st.month_end + 5)::timestamptz END,
    st.month_start::timestamptz
FROM seed_timesheets AS st
INNER JOIN seed_projects AS sp ON st.project_no = sp.project_no
WHERE NOT st.is_cycle;

-- name: timesheet_context.daily_attendances (history months)
INSERT INTO timesheet_context.daily_attendances (
    timesheet_id, period_year, period_month, engineer_id, work_date, attendance_type, start_time, end_time,
    break_minutes, work_minutes, billable_minutes, created_at
)
SELECT
    d.timesheet_id, d.y, d.mo, st.engineer_id, d.work_date, d.attendance_type,
    CASE WHEN d.attendance_type = 'WORK' THEN d.start_time END,
    CASE WHEN d.attendance_type = 'WORK' THEN d.start_time + make_interval(mins => d.work_minutes + 60) END,
    CASE WHEN d.attendance_type = 'WORK' THEN 60 ELSE 0 END,
    CASE WHEN d.attendance_type = 'WORK' THEN d.work_minutes ELSE 0 END,
    CASE WHEN d.attendance_type = 'WORK' THEN d.work_minutes ELSE 0 END,
    (d.work_date + TIME '19:00')::timestamptz
FROM seed_days AS d
INNER JOIN seed_timesheets AS st ON d.timesheet_id = st.timesheet_id
WHERE NOT st.is_cycle;

-- name: timesheet_context.timesheet_approval_steps (history months)
INSERT INTO timesheet_context.timesheet_approval_steps (
    timesheet_id, period_year, period_month, step_no, action, from_status, to_status, actor_type,
    actor_id, acted_at
)
SELECT
    t.id, t.period_year, t.period_month, s.n, s.action, s.from_status, s.to_status, s.actor_type,
    CASE s.actor_type WHEN 'ENGINEER' THEN t.engineer_id WHEN 'CUSTOMER' THEN t.client_approved_by
        ELSE t.approved_by END,
    s.at
FROM timesheet_context.timesheets AS t
CROSS JOIN LATERAL (VALUES
    (1::smallint, 'SUBMIT', 'DRAFT', 'SUBMITTED', 'ENGINEER', t.submitted_at),
    (2::smallint, 'CLIENT_APPROVE', 'SUBMITTED', 'CLIENT_APPROVED', 'CUSTOMER', t.client_approved_at),
    (3::smallint, 'APPROVE', 'CLIENT_APPROVED', 'APPROVED', 'PROJECT_MANAGER', t.approved_at),
    (4::smallint, 'CLOSE', 'APPROVED', 'CLOSED', 'FINANCE', t.closed_at)
) AS s (n, action, from_status, to_status, actor_type, at)
WHERE s.at IS NOT NULL;

-- name: timesheet_context.timesheet_adjustments (history months)
INSERT INTO timesheet_context.timesheet_adjustments (
    timesheet_id, period_year, period_month, adjustment_type, delta_minutes, delta_amount, reason, status,
    applies_to_year, applies_to_month, requested_by, approved_by, approved_at
)
SELECT
    t.id, t.period_year, t.period_month,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 'HOURS' ELSE 'EXPENSE' END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 60 ELSE 0 END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 0 ELSE 3200 END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN '打刻漏れの修正' ELSE '客先出張の交通費' END,
    'APPLIED', NULL, NULL, t.engineer_id, t.approved_by, t.closed_at
FROM (
    SELECT x.*, row_number() OVER (ORDER BY x.id) AS rn
    FROM timesheet_context.timesheets AS x
    WHERE x.status = 'CLOSED'
) AS t
WHERE mod(t.rn, 50) = 1;
