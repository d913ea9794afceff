-- Why: the generated months are lived through, not inserted finished: every
-- row that has a workflow gets there through the product's workflow
-- functions, called by the role that does the job under row-level security
-- (bbase_workshop.seed.cycles sets `SET LOCAL ROLE <role>` and
-- `ses_common.act_as(<user>)` before each statement marked with a role
-- below; statements marked "plan" run as the seed's superuser and read the
-- plan tables). Project managers order won projects, score and complete the
-- matching requests, sign the contracts (both sides: ACTIVE at the second
-- signature), apply amendments and complete ended contracts; each month,
-- engineers enter their days and submit, customers reject a few and approve,
-- engineers correct and resubmit the rejected ones, project managers
-- acknowledge the ALERTs of hours outside the settlement range and approve,
-- finance closes the month (invoices, payables, journals, events) and admins
-- record adjustments of closed months; then finance records receipts
-- (exact, partial, with the transfer fee deducted as expense or as sales
-- return, some none), pays the partners and marks what is late OVERDUE, and
-- the operator runs the event consumers (notifications, report rows).
-- The choices (who pays late, which month is rejected) are hashes of ids and
-- dates, so the same plan gives the same rows. Audit timestamps (signed_at,
-- submitted_at, ...) are the time the seed ran: the functions stamp now().
-- Read by bbase_workshop.seed.cycles; each statement follows its `-- name:`
-- line and is executed on its own with named placeholders bound; a literal
-- percent sign would be written twice, so the statements use mod() instead.

-- name: plan: project managers
SELECT DISTINCT p.project_manager_id
FROM project_context.projects AS p
WHERE p.project_manager_id IS NOT NULL
ORDER BY 1;

-- name: plan: matches per project manager
SELECT
    sp_pm.pm,
    array_agg(md5('ses-seed:request:' || sc.k)::uuid ORDER BY sc.k),
    array_agg(sc.engineer_id ORDER BY sc.k),
    array_agg(sc.unit_price ORDER BY sc.k),
    array_agg(md5('ses-seed:result:' || sc.k)::uuid ORDER BY sc.k)
FROM seed_contracts AS sc
CROSS JOIN seed_const AS c
INNER JOIN LATERAL (
    SELECT md5('ses-seed:staff:' || sp.pm_no)::uuid AS pm
    FROM seed_projects AS sp WHERE sp.project_no = sc.project_no
) AS sp_pm ON TRUE
WHERE sc.start_date >= c.cycle_start
GROUP BY sp_pm.pm
ORDER BY sp_pm.pm;

-- name: project manager: order won projects
-- A project still PROPOSING whose placements are contracted is won: ORDERED
-- (tg_projects__emit_ordered emits ProjectOrdered).
UPDATE project_context.projects AS p
SET status = 'ORDERED', ordered_at = now(), version = p.version
WHERE p.status = 'PROPOSING' AND p.project_manager_id = ses_common.current_user_id()
    AND EXISTS (SELECT FROM contract_context.contracts AS c WHERE c.project_id = p.id);

-- name: project manager: score the open matching requests
SELECT count(*)
FROM matching_context.matching_requests AS r
CROSS JOIN LATERAL matching_context.score_candidates(r.id, r.version) AS s
WHERE r.status IN ('OPEN', 'SEARCHING', 'PROPOSING') AND r.project_manager_id = ses_common.current_user_id();

-- name: project manager: accept the engineers found
-- The engineer the customer took: their scored candidate row, or (when a
-- hard filter kept them out of the list, e.g. a partner deeper in the chain
-- than the project allows) a candidate the sales side added by hand.
WITH pick AS (
    SELECT *
    FROM unnest(%(requests)s::uuid[], %(engineers)s::uuid[], %(prices)s::numeric[]) AS p (request_id, engineer_id, price)
),

accepted AS (
    UPDATE matching_context.matching_candidates AS mc
    SET status = 'ACCEPTED', proposed_unit_price = p.price, proposed_at = now()
    FROM pick AS p
    WHERE mc.matching_request_id = p.request_id AND mc.engineer_id = p.engineer_id AND mc.deleted_at IS NULL
    RETURNING mc.matching_request_id
)

INSERT INTO matching_context.matching_candidates (
    matching_request_id, engineer_id, status, proposed_unit_price, proposed_at
)
SELECT p.request_id, p.engineer_id, 'ACCEPTED', p.price, now()
FROM pick AS p
WHERE p.request_id NOT IN (SELECT a.matching_request_id FROM accepted AS a);

-- name: project manager: record the matching results
INSERT INTO matching_context.matching_results (
    id, matching_request_id, matching_candidate_id, project_id, engineer_id, customer_id, status,
    matching_score, agreed_unit_price, expected_start_date, decided_at, decided_by, decision_reason,
    sales_manager_id
)
SELECT
    p.result_id, r.id, mc.id, r.project_id, p.engineer_id, r.customer_id, 'CONTRACTED',
    mc.score, p.price, r.desired_start_date, now(), ses_common.current_user_id(),
    CASE WHEN mc.score IS NULL THEN '営業推薦により顧客面談、採用' ELSE '顧客面談の結果、採用' END,
    r.sales_manager_id
FROM unnest(%(requests)s::uuid[], %(engineers)s::uuid[], %(prices)s::numeric[], %(results)s::uuid[])
    AS p (request_id, engineer_id, price, result_id)
INNER JOIN matching_context.matching_requests AS r ON p.request_id = r.id
INNER JOIN matching_context.matching_candidates AS mc
    ON r.id = mc.matching_request_id AND p.engineer_id = mc.engineer_id AND mc.deleted_at IS NULL;

-- name: project manager: complete the matching requests
SELECT count(*) FILTER (WHERE matching_context.complete_matching(r.id, r.version))
FROM matching_context.matching_requests AS r
WHERE r.id = ANY(%(requests)s::uuid[]);

-- name: project manager: sign the contracts for our side
SELECT count(*) FILTER (WHERE s.changed)
FROM contract_context.contracts AS c
CROSS JOIN LATERAL contract_context.sign_contract(c.id, 'COMPANY', c.version) AS s
WHERE c.status = 'DRAFT' AND c.project_manager_id = ses_common.current_user_id();

-- name: project manager: record the counterparties' signatures
-- Contracts that have started are signed by the other side too (ACTIVE,
-- ContractSigned); those starting later still wait (PENDING_SIGNATURE).
SELECT count(*) FILTER (WHERE s.changed)
FROM contract_context.contracts AS c
CROSS JOIN LATERAL contract_context.sign_contract(c.id, 'COUNTERPARTY', c.version) AS s
WHERE c.status = 'PENDING_SIGNATURE' AND c.start_date <= current_date
    AND c.project_manager_id = ses_common.current_user_id();

-- name: plan: engineers with a draft of the month
SELECT DISTINCT t.engineer_id
FROM timesheet_context.timesheets AS t
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'DRAFT'
ORDER BY 1;

-- name: engineer: enter the days of the month
-- Weekdays up to yesterday: one in 33 a paid leave, else a start between
-- 08:45 and 09:45, 7 to 9 hours of work and an hour's break.
SELECT count(timesheet_context.record_attendance(t.id, d.day,
    CASE WHEN NOT w.leave THEN w.start_time END,
    CASE WHEN NOT w.leave THEN w.start_time + make_interval(mins => w.minutes + 60) END,
    CASE WHEN w.leave THEN 0 ELSE 60 END,
    CASE WHEN w.leave THEN 'PAID_LEAVE' ELSE 'WORK' END))
FROM timesheet_context.timesheets AS t
CROSS JOIN LATERAL generate_series(
    make_date(t.period_year, t.period_month, 1),
    least((make_date(t.period_year, t.period_month, 1) + INTERVAL '1 month - 1 day')::date, current_date - 1),
    INTERVAL '1 day'
) AS g (day_ts)
CROSS JOIN LATERAL (SELECT g.day_ts::date AS day, abs(hashtext(t.id::text || g.day_ts::date)) AS h) AS d
CROSS JOIN LATERAL (
    SELECT
        mod(d.h, 33) = 0 AS leave,
        TIME '08:45' + make_interval(mins => 15 * mod(d.h / 7, 5)) AS start_time,
        420 + 15 * mod(d.h / 101, 9) AS minutes
) AS w
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'DRAFT'
    AND t.engineer_id = ses_common.current_user_id() AND extract(ISODOW FROM g.day_ts) < 6;

-- name: engineer: submit the month
SELECT count(timesheet_context.submit_timesheet(t.id, t.version))
FROM timesheet_context.timesheets AS t
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'DRAFT'
    AND t.engineer_id = ses_common.current_user_id();

-- name: plan: customers with submitted timesheets of the month
SELECT DISTINCT t.customer_id
FROM timesheet_context.timesheets AS t
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'SUBMITTED'
ORDER BY 1;

-- name: customer: reject a few timesheets
-- One in eleven, in months before last month, on contracts that ask the customer.
SELECT count(timesheet_context.reject_timesheet(t.id, t.version, '6日の作業時間が作業報告と一致しません'))
FROM timesheet_context.timesheets AS t
INNER JOIN contract_context.contracts AS c ON t.contract_id = c.id
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'SUBMITTED' AND NOT %(last_month)s
    AND c.client_approval_gate <> 'NONE' AND mod(abs(hashtext(t.id::text)), 11) = 5
    AND t.customer_id = ses_common.current_user_id();

-- name: plan: engineers with a rejected draft of the month
SELECT DISTINCT t.engineer_id
FROM timesheet_context.timesheets AS t
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'DRAFT' AND t.rejected_at IS NOT NULL
ORDER BY 1;

-- name: engineer: correct the first working day
-- The rejected month's first working day ends half an hour later (naming the
-- version of the day read); the engineer then submits again.
SELECT count(timesheet_context.record_attendance(t.id, d.work_date, d.start_time,
    d.end_time + INTERVAL '30 minutes', d.break_minutes, d.attendance_type, '客先指摘により終業時刻を修正', d.version))
FROM timesheet_context.timesheets AS t
CROSS JOIN LATERAL (
    SELECT x.* FROM timesheet_context.daily_attendances AS x
    WHERE x.timesheet_id = t.id AND x.attendance_type = 'WORK' AND x.deleted_at IS NULL
    ORDER BY x.work_date LIMIT 1
) AS d
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'DRAFT' AND t.rejected_at IS NOT NULL
    AND t.engineer_id = ses_common.current_user_id();

-- name: customer: approve the submitted timesheets
-- Last month, one in four still awaits the customer.
SELECT count(timesheet_context.approve_timesheet_as_customer(t.id, t.version))
FROM timesheet_context.timesheets AS t
INNER JOIN contract_context.contracts AS c ON t.contract_id = c.id
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'SUBMITTED'
    AND c.client_approval_gate <> 'NONE'
    AND NOT (%(last_month)s AND mod(abs(hashtext(t.id::text)), 4) = 0)
    AND t.customer_id = ses_common.current_user_id();

-- name: plan: project managers with timesheets to approve
SELECT DISTINCT p.project_manager_id
FROM timesheet_context.timesheets AS t
INNER JOIN project_context.projects AS p ON t.project_id = p.id
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status IN ('SUBMITTED', 'CLIENT_APPROVED')
ORDER BY 1;

-- name: project manager: acknowledge the alerts
SELECT count(timesheet_context.acknowledge_timesheet_alert(t.id, t.version, '客先と稼働時間を確認済み'))
FROM timesheet_context.timesheets AS t
INNER JOIN project_context.projects AS p ON t.project_id = p.id
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status IN ('SUBMITTED', 'CLIENT_APPROVED')
    AND t.out_of_range AND p.project_manager_id = ses_common.current_user_id();

-- name: project manager: approve the timesheets
-- After the customer's approval, or straight from SUBMITTED where the
-- contract asks no customer approval. Last month, one in four of those the
-- customer approved is still on the manager's desk.
SELECT count(timesheet_context.approve_timesheet_internally(t.id, t.version))
FROM timesheet_context.timesheets AS t
INNER JOIN contract_context.contracts AS c ON t.contract_id = c.id
INNER JOIN project_context.projects AS p ON t.project_id = p.id
WHERE t.period_year = %(y)s AND t.period_month = %(m)s
    AND (t.status = 'CLIENT_APPROVED' OR (t.status = 'SUBMITTED' AND c.client_approval_gate = 'NONE'))
    AND NOT (%(last_month)s AND mod(abs(hashtext(t.id::text)), 4) = 1)
    AND p.project_manager_id = ses_common.current_user_id();

-- name: finance: close the month
SELECT billing_context.close_month(%(y)s, %(m)s, %(our_company)s, %(our_registration_no)s);

-- name: admin: record adjustments of closed timesheets
-- One closed timesheet in nine gets an expense or a forgotten half hour,
-- settled in the next open month.
SELECT count(timesheet_context.request_timesheet_adjustment(t.id, t.version,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 'HOURS' ELSE 'EXPENSE' END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 30 ELSE 0 END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 0 ELSE 3200 END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN '打刻漏れの修正' ELSE '客先出張の交通費' END))
FROM timesheet_context.timesheets AS t
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'CLOSED'
    AND mod(abs(hashtext(t.id::text)), 9) = 4;

-- name: plan: event consumers
SELECT c.consumer FROM ses_common.event_consumers AS c WHERE c.is_active ORDER BY c.consumer;

-- name: operator: run an event consumer
SELECT r.claimed, r.done, r.retrying, r.dead FROM ses_common.consume_events(%(consumer)s, 1000) AS r;

-- name: finance: record the receipts
-- Customers pay at the due date (up to two days early); by a hash of the
-- invoice number: one in ten not at all (OVERDUE by maintenance), one in
-- ten half (PARTIALLY_PAID, OVERDUE once late), one in ten with the 660
-- yen transfer fee deducted (our expense), one in twenty with 440 yen
-- deducted as a sales return; of those not yet due, one in twenty is paid
-- early and one in twenty half.
SELECT count(billing_context.record_receipt(i.id, i.version, x.paid_on,
    CASE
        WHEN x.h < 2 OR x.h = 8 THEN floor(i.total_amount / 2)
        WHEN x.h < 4 THEN i.total_amount - 660
        WHEN x.h = 4 THEN i.total_amount - 440
        ELSE i.total_amount
    END,
    CASE WHEN x.h IN (2, 3) THEN 660 WHEN x.h = 4 THEN 440 ELSE 0 END,
    CASE WHEN x.h IN (2, 3) THEN 'EXPENSE' WHEN x.h = 4 THEN 'SALES_RETURN' END,
    'FB' || to_char(x.paid_on, 'YYYYMMDD') || '-' || right(i.invoice_number, 10),
    i.recipient_name))
FROM billing_context.invoices AS i
CROSS JOIN LATERAL (
    SELECT
        mod(abs(hashtext(i.invoice_number)), 20) AS h,
        least(i.due_date - mod(abs(hashtext(i.invoice_number)), 3), current_date - 1) AS paid_on
) AS x
WHERE i.direction = 'RECEIVABLE' AND i.status = 'ISSUED' AND i.total_amount > 0
    AND ((i.due_date < current_date AND x.h NOT IN (5, 6)) OR (i.due_date >= current_date AND x.h IN (7, 8)))
    AND x.paid_on >= i.issue_date;

-- name: finance: pay the partners
-- On the due date, the whole amount; one in three transfers costs 440 yen,
-- ours to bear (PAYER) or deducted from what the partner gets (PAYEE).
SELECT count(billing_context.record_partner_payment(i.id, i.version, x.paid_on,
    i.total_amount - CASE WHEN i.transfer_fee_bearer = 'PAYEE' THEN x.fee ELSE 0 END, x.fee,
    'FB' || to_char(x.paid_on, 'YYYYMMDD') || '-' || right(i.invoice_number, 10)))
FROM billing_context.invoices AS i
CROSS JOIN LATERAL (
    SELECT
        least(i.due_date, current_date - 1) AS paid_on,
        CASE WHEN mod(abs(hashtext(i.invoice_number)), 3) = 0 THEN 440 ELSE 0 END AS fee
) AS x
WHERE i.direction = 'PAYABLE' AND i.status = 'ISSUED' AND i.total_amount > 0 AND i.due_date < current_date;

-- name: finance: mark the late invoices overdue
SELECT billing_context.mark_overdue_invoices(current_date);

-- name: project manager: apply price amendments from next month
-- Every tenth running contract of the manager (the first included) has its
-- monthly price raised by 20,000 yen from next month (an approved
-- amendment, put in force by apply_amendment).
WITH raised AS (
    INSERT INTO contract_context.contract_amendments (
        contract_id, amendment_number, amendment_type, effective_date, changes, reason, status,
        requested_by, approved_by, approved_at
    )
    SELECT
        c.id, 1, 'PRICE_CHANGE', (date_trunc('month', current_date) + INTERVAL '1 month')::date,
        jsonb_build_object('monthly_unit_price',
            jsonb_build_object('from', c.monthly_unit_price, 'to', c.monthly_unit_price + 20000)),
        '単価改定（スキル評価による）', 'APPROVED', c.sales_manager_id, ses_common.current_user_id(), now()
    FROM (
        SELECT x.*, row_number() OVER (ORDER BY x.contract_number) AS rn
        FROM contract_context.contracts AS x
        WHERE x.status = 'ACTIVE' AND x.contract_side = 'CUSTOMER'
            AND x.end_date >= (date_trunc('month', current_date) + INTERVAL '2 months')::date
            AND x.project_manager_id = ses_common.current_user_id()
    ) AS c
    WHERE mod(c.rn, 10) = 1
    RETURNING id
)

SELECT count(*) FROM raised;

-- name: project manager: put the approved amendments in force
SELECT count(*) FILTER (WHERE contract_context.apply_amendment(a.id, a.version))
FROM contract_context.contract_amendments AS a
INNER JOIN contract_context.contracts AS c ON a.contract_id = c.id
WHERE a.status = 'APPROVED' AND c.project_manager_id = ses_common.current_user_id();

-- name: project manager: complete the ended contracts
-- A contract whose period is over is COMPLETED; one in twenty ended early
-- (TERMINATED, with the reason).
UPDATE contract_context.contracts AS c
SET status = CASE WHEN mod(abs(hashtext(coalesce(c.upstream_contract_id, c.id)::text)), 20) = 7
        THEN 'TERMINATED' ELSE 'COMPLETED' END,
    terminated_at = CASE WHEN mod(abs(hashtext(coalesce(c.upstream_contract_id, c.id)::text)), 20) = 7
        THEN c.end_date::timestamptz END,
    termination_reason = CASE WHEN mod(abs(hashtext(coalesce(c.upstream_contract_id, c.id)::text)), 20) = 7
        THEN '顧客都合による早期終了' END,
    version = c.version
WHERE c.status = 'ACTIVE' AND c.end_date < current_date
    AND c.project_manager_id = ses_common.current_user_id();
