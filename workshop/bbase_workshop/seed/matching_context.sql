-- Why: fills matching_context: the scoring criteria (reference data), and the
-- matching requests the cycles (cycles.sql) score with
-- matching_context.score_candidates and complete with
-- matching_context.complete_matching: one per customer contract starting in
-- the cycle months or later (asking for a skill of the engineer it found, its
-- project's chain limit, its start date), and one still searching per open
-- project. With --bulk-history the contracts that started in the history
-- months get their request, candidates and result inserted finished.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: matching_context.scoring_criteria
INSERT INTO matching_context.scoring_criteria (factor, weight, valid_from, description)
SELECT f, w, c.window_start, d
FROM seed_const AS c
CROSS JOIN (VALUES
    ('MUST_HAVE_SKILLS', 45, '必須スキル（欠けると除外）'),
    ('START_DATE', 15, '参画可能日'),
    ('NICE_TO_HAVE_SKILLS', 12, '尚可スキル'),
    ('LOCATION', 10, '勤務地・リモート'),
    ('RATE', 10, '単価（予算内で満点）'),
    ('EXPERIENCE_YEARS', 8, '経験年数（要件超過分は加点なし）')
) AS v (f, w, d);

-- name: matching_context.matching_requests (cycle months: open, to be scored)
INSERT INTO matching_context.matching_requests (
    id, project_id, customer_id, title, required_skills, preferred_skills, headcount, budget_min, budget_max,
    desired_start_date, work_location, remote_policy, max_chain_depth, contract_type,
    status, project_manager_id, sales_manager_id, created_at
)
SELECT
    md5('ses-seed:request:' || sc.k)::uuid,
    p.id, p.customer_id, p.name || ' 要員募集',
    jsonb_build_array(jsonb_build_object('name', best.name, 'years', least(2, floor(best.years)))),
    jsonb_build_array(jsonb_build_object('name', p.requirements -> 'nice' -> 0 ->> 'skill')),
    1, p.unit_price_min, greatest(p.unit_price_max, sc.unit_price),
    sc.start_date, p.work_location, p.remote_policy, p.max_chain_depth, sc.contract_type,
    'OPEN', p.project_manager_id, p.sales_manager_id, (sc.start_date - 45)::timestamptz
FROM seed_contracts AS sc
CROSS JOIN seed_const AS c
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
INNER JOIN project_context.projects AS p ON sp.id = p.id
CROSS JOIN LATERAL (
    SELECT s.name, s.years FROM seed_engineer_skills AS s
    WHERE s.e = sc.e ORDER BY s.level DESC, s.name LIMIT 1
) AS best
WHERE sc.start_date >= c.cycle_start
UNION ALL
SELECT
    md5('ses-seed:open-request:' || sp.project_no)::uuid,
    p.id, p.customer_id, p.name || ' 要員募集',
    jsonb_build_array(jsonb_build_object('name', p.requirements -> 'must' -> 0 ->> 'skill')),
    jsonb_build_array(jsonb_build_object('name', p.requirements -> 'nice' -> 0 ->> 'skill')),
    p.required_headcount, p.unit_price_min, p.unit_price_max,
    p.start_date, p.work_location, p.remote_policy, p.max_chain_depth, p.contract_type,
    CASE WHEN p.status = 'OPEN' THEN 'SEARCHING' ELSE 'PROPOSING' END,
    p.project_manager_id, p.sales_manager_id, p.created_at
FROM seed_projects AS sp
INNER JOIN project_context.projects AS p ON sp.id = p.id
WHERE sp.status IN ('OPEN', 'PROPOSING');

-- name: matching_context.matching_requests (history months, inserted finished)
INSERT INTO matching_context.matching_requests (
    id, project_id, customer_id, title, required_skills, preferred_skills, headcount, budget_min, budget_max,
    desired_start_date, start_by_date, work_location, remote_policy, max_chain_depth, contract_type,
    status, project_manager_id, sales_manager_id, completed_at, created_at
)
SELECT
    md5('ses-seed:request:' || sc.k)::uuid,
    p.id, p.customer_id, p.name || ' 要員募集',
    jsonb_build_array(jsonb_build_object('name', p.requirements -> 'must' -> 0 ->> 'skill')),
    jsonb_build_array(jsonb_build_object('name', p.requirements -> 'nice' -> 0 ->> 'skill')),
    1, p.unit_price_min, p.unit_price_max,
    sc.start_date, sc.start_date + 14, p.work_location, p.remote_policy, p.max_chain_depth, sc.contract_type,
    'COMPLETED', p.project_manager_id, p.sales_manager_id, (sc.start_date - 20)::timestamptz,
    (sc.start_date - 45)::timestamptz
FROM seed_contracts AS sc
CROSS JOIN seed_const AS c
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
INNER JOIN project_context.projects AS p ON sp.id = p.id
WHERE sc.start_date >= c.window_start AND sc.start_date < c.cycle_start;

-- name: matching_context.matching_candidates (history months)
INSERT INTO matching_context.matching_candidates (
    id, matching_request_id, engineer_id, status, score, score_breakdown, proposed_unit_price,
    sales_manager_id, proposed_at, created_at
)
SELECT
    md5('ses-seed:candidate:' || sc.k || ':' || n)::uuid,
    md5('ses-seed:request:' || sc.k)::uuid,
    CASE WHEN n = 0 THEN sc.engineer_id
        ELSE md5('ses-seed:engineer:' || (1 + mod(sc.e - 1 + n, %(n_engineers)s)))::uuid END,
    CASE n WHEN 0 THEN 'ACCEPTED' WHEN 1 THEN 'DECLINED' ELSE 'SUGGESTED' END,
    (92 - n * 9 - mod(sc.k, 7))::numeric,
    jsonb_build_object('MUST_HAVE_SKILLS', 45, 'START_DATE', 15 - n * 3, 'NICE_TO_HAVE_SKILLS', 12 - n * 2,
        'LOCATION', 10, 'RATE', 10 - n * 2, 'EXPERIENCE_YEARS', 8),
    CASE WHEN n < 2 THEN sc.unit_price END,
    md5('ses-seed:staff:' || (1 + mod(sc.k, %(n_staff)s)))::uuid,
    CASE WHEN n < 2 THEN (sc.start_date - 30)::timestamptz END,
    (sc.start_date - 40)::timestamptz
FROM seed_contracts AS sc
CROSS JOIN seed_const AS c
CROSS JOIN generate_series(0, 2) AS n
WHERE sc.start_date >= c.window_start AND sc.start_date < c.cycle_start
    AND (n = 0 OR mod(sc.e - 1 + n, %(n_engineers)s) <> sc.e - 1);

-- name: matching_context.matching_results (history months)
INSERT INTO matching_context.matching_results (
    id, matching_request_id, matching_candidate_id, project_id, engineer_id, customer_id, status,
    matching_score, agreed_unit_price, expected_start_date, decided_at, decided_by, decision_reason,
    sales_manager_id, created_at
)
SELECT
    md5('ses-seed:result:' || sc.k)::uuid,
    md5('ses-seed:request:' || sc.k)::uuid,
    md5('ses-seed:candidate:' || sc.k || ':0')::uuid,
    sp.id, sc.engineer_id, md5('ses-seed:customer:' || sp.customer_no)::uuid,
    'CONTRACTED', (92 - mod(sc.k, 7))::numeric, sc.unit_price, sc.start_date,
    (sc.start_date - 20)::timestamptz, md5('ses-seed:staff:' || sp.pm_no)::uuid, '顧客面談の結果、採用',
    md5('ses-seed:staff:' || sp.sales_no)::uuid, (sc.start_date - 25)::timestamptz
FROM seed_contracts AS sc
CROSS JOIN seed_const AS c
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
WHERE sc.start_date >= c.window_start AND sc.start_date < c.cycle_start;
