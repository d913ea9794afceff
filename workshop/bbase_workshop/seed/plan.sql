-- Why: every context is filled from one plan, built first in temporary tables
-- (seed_*, dropped at commit) so that the contexts agree with each other: the
-- month window, the engineers and their skills, each engineer's chain of
-- non-overlapping whole-month contracts and their terms, the projects that
-- span them (their customer is the contracts' customer), one timesheet per
-- contract and month with its daily attendance, and what should become of
-- each (the target status the monthly cycles drive it to). The window is the
-- cycle months (run through the workflow functions by cycles.sql) plus the
-- current month, preceded only with --bulk-history by history months whose
-- rows are inserted finished (seed_settlements). random() follows setseed(),
-- so the same seed and scale give the same plan.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: plan: calendar
CREATE TEMP TABLE seed_const ON COMMIT DROP AS
SELECT
    current_date AS today,
    date_trunc('month', current_date)::date AS this_month,
    (date_trunc('month', current_date) - make_interval(months => %(months)s - 1))::date AS window_start,
    (date_trunc('month', current_date) - make_interval(months => %(cycle_months)s))::date AS cycle_start,
    (date_trunc('month', current_date) - make_interval(months => %(placement_months)s))::date AS placement_start,
    md5('ses-seed:company')::uuid AS our_company_id;

-- name: plan: months
CREATE TEMP TABLE seed_months ON COMMIT DROP AS
SELECT
    m::date AS month_start,
    (m + INTERVAL '1 month' - INTERVAL '1 day')::date AS month_end,
    extract(YEAR FROM m)::smallint AS y,
    extract(MONTH FROM m)::smallint AS mo,
    (row_number() OVER (ORDER BY m))::integer AS month_no,
    m >= c.cycle_start AS is_cycle
FROM seed_const AS c,
    generate_series(c.window_start, c.this_month, INTERVAL '1 month') AS m;

-- name: plan: engineers
CREATE TEMP TABLE seed_engineers ON COMMIT DROP AS
SELECT
    e,
    md5('ses-seed:engineer:' || e)::uuid AS id,
    CASE WHEN mod(e, 10) < 4 THEN 'EMPLOYEE' WHEN mod(e, 10) < 9 THEN 'PARTNER' ELSE 'FREELANCE' END
        AS employment_type,
    1 + mod(e * 7919, %(n_partners)s) AS partner_no,
    1 + mod(e * 31 + e / 53, cardinality(%(surnames)s::text[])) AS sn,
    1 + mod(e * 17 + e / 41, cardinality(%(given)s::text[])) AS gn,
    1 + mod(e * 13, cardinality(%(stations)s::text[])) AS loc,
    1 + mod(e * 11, %(n_staff)s) AS sales_no,
    round((1 + random() * 24)::numeric, 1) AS years
FROM generate_series(1, %(n_engineers)s) AS e;

-- name: plan: engineer skills
CREATE TEMP TABLE seed_engineer_skills ON COMMIT DROP AS
SELECT
    se.e,
    se.id AS engineer_id,
    k.name,
    k.category,
    (1 + mod(abs(hashtext(se.e || k.name)), 5))::smallint AS level,
    least(se.years, round((0.5 + random() * 12)::numeric, 1)) AS years
FROM seed_engineers AS se
CROSS JOIN LATERAL (
    SELECT s.name, s.category
    FROM unnest(%(skill_names)s::text[], %(skill_categories)s::text[]) AS s (name, category)
    ORDER BY md5(se.e || s.name)
    LIMIT 3 + mod(se.e, 4)
) AS k;

-- name: plan: contract chains
CREATE TEMP TABLE seed_contracts ON COMMIT DROP AS
WITH k AS (
    SELECT
        k,
        1 + mod(k - 1, %(n_chain)s) AS e,
        (k - 1) / %(n_chain)s AS j,
        6 + floor(random() * 19)::integer AS duration,
        CASE WHEN (k - 1) / %(n_chain)s = 0
            THEN floor(random() * greatest(1, %(placement_months)s - 6))::integer
            ELSE floor(random() * 3)::integer
        END AS lead_months
    FROM generate_series(1, %(n_contracts)s) AS k
),

placed AS (
    SELECT
        k.*,
        sum(k.lead_months + k.duration) OVER w - k.duration AS start_offset
    FROM k
    WINDOW w AS (PARTITION BY k.e ORDER BY k.j ROWS UNBOUNDED PRECEDING)
)

SELECT
    p.k,
    p.e,
    se.id AS engineer_id,
    se.employment_type,
    se.partner_no,
    md5('ses-seed:contract:' || p.k)::uuid AS id,
    md5('ses-seed:partner-contract:' || p.k)::uuid AS partner_contract_id,
    1 + mod(p.k * 7 + p.k / 13, %(n_staffed_projects)s) AS project_no,
    (c.placement_start + make_interval(months => p.start_offset::integer))::date AS start_date,
    (c.placement_start + make_interval(months => (p.start_offset + p.duration)::integer) - INTERVAL '1 day')::date AS end_date,
    (least(1300000, 450000 + se.years * 20000 + mod(p.k, 7) * 10000) / 10000)::integer * 10000 AS unit_price,
    CASE WHEN mod(p.k, 10) < 8 THEN 'UPPER_LOWER' WHEN mod(p.k, 10) = 8 THEN 'MIDPOINT' ELSE 'FIXED' END
        AS settlement_method,
    CASE WHEN mod(p.k, 5) = 0 THEN 'DISPATCH' ELSE 'QUASI_MANDATE' END AS contract_type,
    mod(p.k, 20) = 7 AS terminated
FROM placed AS p
INNER JOIN seed_engineers AS se ON p.e = se.e
CROSS JOIN seed_const AS c;

-- name: plan: contracts that ended before the window are not generated
DELETE FROM seed_contracts AS sc
USING seed_const AS c
WHERE sc.end_date < c.window_start;

-- name: plan: contract status
ALTER TABLE seed_contracts
    ADD COLUMN status text,
    ADD COLUMN approval_gate text,
    ADD COLUMN customer_no integer,
    ADD COLUMN lower_hours numeric,
    ADD COLUMN upper_hours numeric,
    ADD COLUMN deduction_rate numeric,
    ADD COLUMN overtime_rate numeric,
    ADD COLUMN partner_price numeric;

-- name: plan: contract terms
UPDATE seed_contracts AS sc
SET
    status = CASE
        WHEN sc.end_date < c.today AND sc.terminated THEN 'TERMINATED'
        WHEN sc.end_date < c.today THEN 'COMPLETED'
        WHEN sc.start_date > c.today THEN 'PENDING_SIGNATURE'
        ELSE 'ACTIVE'
    END,
    customer_no = 1 + mod(sc.project_no * 13, %(n_customers)s),
    -- a fifth of the contracts need no customer approval of timesheets
    approval_gate = CASE WHEN mod(sc.k, 5) = 2 THEN 'NONE' ELSE 'AFTER_SUBMISSION' END,
    lower_hours = CASE WHEN mod(sc.k, 4) = 3 THEN 150 ELSE 140 END,
    upper_hours = CASE WHEN mod(sc.k, 4) = 3 THEN 190 ELSE 180 END,
    deduction_rate = CASE sc.settlement_method
        WHEN 'MIDPOINT' THEN floor(sc.unit_price / 160.0 / 10) * 10
        ELSE floor(sc.unit_price / (CASE WHEN mod(sc.k, 4) = 3 THEN 150 ELSE 140 END) / 10.0) * 10
    END,
    overtime_rate = CASE sc.settlement_method
        WHEN 'MIDPOINT' THEN floor(sc.unit_price / 160.0 / 10) * 10
        ELSE floor(sc.unit_price / (CASE WHEN mod(sc.k, 4) = 3 THEN 190 ELSE 180 END) / 10.0) * 10
    END,
    partner_price = floor(sc.unit_price * (0.80 + mod(sc.k, 6) * 0.01) / 10000) * 10000
FROM seed_const AS c;

-- name: plan: projects
CREATE TEMP TABLE seed_projects ON COMMIT DROP AS
WITH spans AS (
    SELECT project_no, min(start_date) AS start_date, max(end_date) AS end_date, count(*) AS headcount
    FROM seed_contracts
    GROUP BY project_no
)

SELECT
    p AS project_no,
    md5('ses-seed:project:' || p)::uuid AS id,
    1 + mod(p * 13, %(n_customers)s) AS customer_no,
    1 + mod(p * 5, %(n_staff)s) AS pm_no,
    1 + mod(p * 3 + 1, %(n_staff)s) AS sales_no,
    s.start_date,
    s.end_date,
    coalesce(s.headcount, 1 + mod(p, 3)) AS headcount,
    CASE
        WHEN s.project_no IS NULL THEN
            (ARRAY['LOST', 'OPEN', 'CANCELLED', 'PROPOSING', 'DRAFT', 'OPEN', 'PROPOSING', 'ON_HOLD'])[
                1 + mod((row_number() OVER (PARTITION BY s.project_no IS NULL ORDER BY p))::integer - 1, 8)]
        WHEN s.end_date < c.today THEN 'COMPLETED'
        WHEN s.start_date > c.today THEN 'ORDERED'
        ELSE 'ACTIVE'
    END AS status
FROM generate_series(1, %(n_projects)s) AS p
LEFT JOIN spans AS s ON p = s.project_no
CROSS JOIN seed_const AS c;

-- name: plan: project dates for unstaffed projects
UPDATE seed_projects AS sp
SET start_date = (c.this_month + make_interval(months => 1 + mod(sp.project_no, 3)))::date,
    end_date = (c.this_month + make_interval(months => 7 + mod(sp.project_no, 12)) - INTERVAL '1 day')::date
FROM seed_const AS c
WHERE sp.start_date IS NULL AND sp.status IN ('OPEN', 'PROPOSING', 'ON_HOLD');

-- name: plan: customer contracts follow their project's customer
UPDATE seed_contracts AS sc
SET customer_no = sp.customer_no
FROM seed_projects AS sp
WHERE sc.project_no = sp.project_no;

-- name: plan: contract months
CREATE TEMP TABLE seed_contract_months ON COMMIT DROP AS
SELECT
    sc.k,
    sc.id AS contract_id,
    m.y,
    m.mo,
    m.month_start,
    m.month_end,
    m.is_cycle,
    md5('ses-seed:timesheet:' || sc.k || ':' || to_char(m.month_start, 'YYYYMM'))::uuid AS timesheet_id,
    -- a cycle month's timesheet starts as a DRAFT for the cycles to work on;
    -- a history month's is inserted CLOSED
    CASE WHEN m.is_cycle THEN 'DRAFT' ELSE 'CLOSED' END AS status
FROM seed_contracts AS sc
INNER JOIN seed_months AS m ON m.month_start BETWEEN sc.start_date AND sc.end_date
WHERE sc.status <> 'PENDING_SIGNATURE';

-- name: plan: daily attendance
CREATE TEMP TABLE seed_days ON COMMIT DROP AS
SELECT
    cm.timesheet_id,
    cm.y,
    cm.mo,
    d::date AS work_date,
    CASE WHEN random() < 0.03 THEN 'PAID_LEAVE' ELSE 'WORK' END AS attendance_type,
    (TIME '08:45' + make_interval(mins => 15 * floor(random() * 5)::integer)) AS start_time,
    (420 + 15 * floor(random() * 9))::integer AS work_minutes
FROM seed_contract_months AS cm
CROSS JOIN seed_const AS c
CROSS JOIN LATERAL generate_series(cm.month_start, least(cm.month_end, c.today - 1), INTERVAL '1 day') AS d
-- a cycle month's days are entered by its engineer (cycles.sql)
WHERE extract(ISODOW FROM d) < 6 AND NOT cm.is_cycle;

-- name: plan: timesheet totals
CREATE TEMP TABLE seed_timesheets ON COMMIT DROP AS
SELECT
    cm.*,
    sc.engineer_id,
    sc.settlement_method,
    sc.unit_price,
    sc.partner_price,
    sc.lower_hours,
    sc.upper_hours,
    sc.deduction_rate,
    sc.overtime_rate,
    sc.employment_type,
    sc.partner_no,
    sc.partner_contract_id,
    sc.project_no,
    sc.customer_no,
    coalesce(t.days, 0)::smallint AS days,
    coalesce(t.minutes, 0)::integer AS minutes,
    round(coalesce(t.minutes, 0) / 60.0, 2) AS hours
FROM seed_contract_months AS cm
INNER JOIN seed_contracts AS sc ON cm.k = sc.k
LEFT JOIN (
    SELECT
        d.timesheet_id,
        count(*) FILTER (WHERE d.attendance_type = 'WORK') AS days,
        sum(d.work_minutes) FILTER (WHERE d.attendance_type = 'WORK') AS minutes
    FROM seed_days AS d
    GROUP BY d.timesheet_id
) AS t ON cm.timesheet_id = t.timesheet_id;

-- name: plan: settlement
CREATE TEMP TABLE seed_settlements ON COMMIT DROP AS
SELECT
    st.*,
    CASE
        WHEN st.settlement_method = 'FIXED' THEN 0
        WHEN st.settlement_method = 'MIDPOINT' THEN floor((st.hours - 160) * st.overtime_rate)
        WHEN st.hours > st.upper_hours THEN floor((st.hours - st.upper_hours) * st.overtime_rate)
        WHEN st.hours < st.lower_hours THEN -ceil((st.lower_hours - st.hours) * st.deduction_rate)
        ELSE 0
    END AS adjustment,
    CASE
        WHEN st.settlement_method = 'FIXED' THEN 0
        WHEN st.hours > st.upper_hours THEN floor((st.hours - st.upper_hours) * floor(st.partner_price / st.upper_hours / 10) * 10)
        WHEN st.hours < st.lower_hours THEN -ceil((st.lower_hours - st.hours) * floor(st.partner_price / st.lower_hours / 10) * 10)
        ELSE 0
    END AS partner_adjustment,
    st.month_end + 1 AS issue_date,
    (st.month_end + INTERVAL '1 month')::date AS customer_due_date,
    st.month_end + 30 AS partner_due_date
FROM seed_timesheets AS st
WHERE st.status = 'CLOSED' AND NOT st.is_cycle;
