-- Why: fills project_context from the plan: one project per planned project
-- (period and customer from its contracts; unstaffed ones open, lost, ...),
-- its requirements, three phases and their milestones. A project about to be
-- won (ORDERED in the plan) goes in as PROPOSING: its project manager orders
-- it in the cycles (cycles.sql), which emits ProjectOrdered.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: project_context.projects
INSERT INTO project_context.projects (
    id, project_code, name, description, customer_id, customer_name, status, priority,
    start_date, end_date, budget_amount, unit_price_min, unit_price_max, required_headcount,
    requirements, contract_type, work_location, remote_policy, max_chain_depth,
    project_manager_id, sales_manager_id, ordered_at, created_at, updated_at
)
SELECT
    sp.id,
    'PJ' || lpad(sp.project_no::text, 6, '0'),
    (%(heads)s::text[])[1 + mod(sp.customer_no, cardinality(%(heads)s::text[]))]
        || (%(customer_tails)s::text[])[1 + mod(sp.customer_no / 7, cardinality(%(customer_tails)s::text[]))]
        || ' ' || (%(subjects)s::text[])[1 + mod(sp.project_no * 7, cardinality(%(subjects)s::text[]))],
    (%(subjects)s::text[])[1 + mod(sp.project_no * 7, cardinality(%(subjects)s::text[]))] || 'の開発・保守支援',
    md5('ses-seed:customer:' || sp.customer_no)::uuid,
    '株式会社' || (%(heads)s::text[])[1 + mod(sp.customer_no, cardinality(%(heads)s::text[]))]
        || (%(customer_tails)s::text[])[1 + mod(sp.customer_no / 7, cardinality(%(customer_tails)s::text[]))],
    CASE WHEN sp.status = 'ORDERED' THEN 'PROPOSING' ELSE sp.status END,
    (1 + mod(sp.project_no * 3, 5))::smallint,
    sp.start_date,
    sp.end_date,
    sp.headcount * 800000 * greatest(1, (sp.end_date - sp.start_date) / 30),
    600000,
    900000 + mod(sp.project_no, 5) * 100000,
    sp.headcount,
    jsonb_build_object(
        'must', jsonb_build_array(
            jsonb_build_object('skill', (%(skill_names)s::text[])[1 + mod(sp.project_no, 30)], 'years', 2 + mod(sp.project_no, 4))
        ),
        'nice', jsonb_build_array(
            jsonb_build_object('skill', (%(skill_names)s::text[])[1 + mod(sp.project_no * 7 + 3, 30)])
        )
    ),
    CASE WHEN mod(sp.project_no, 5) = 0 THEN 'DISPATCH' ELSE 'QUASI_MANDATE' END,
    (%(stations)s::text[])[1 + mod(sp.project_no, cardinality(%(stations)s::text[]))] || '駅周辺',
    (ARRAY['ONSITE', 'HYBRID', 'REMOTE'])[1 + mod(sp.project_no, 3)],
    CASE WHEN mod(sp.project_no, 4) = 0 THEN 1 ELSE 2 END,
    md5('ses-seed:staff:' || sp.pm_no)::uuid,
    md5('ses-seed:staff:' || sp.sales_no)::uuid,
    CASE WHEN sp.status IN ('ACTIVE', 'COMPLETED') THEN sp.start_date - 30 END,
    coalesce(sp.start_date - 60, c.today - 30 - mod(sp.project_no * 37, 600))::timestamptz,
    -- lost and cancelled projects were last touched when they were dropped
    CASE WHEN sp.status IN ('LOST', 'CANCELLED')
        THEN (c.today - 10 - mod(sp.project_no * 37, 600))::timestamptz
        ELSE now()
    END
FROM seed_projects AS sp
CROSS JOIN seed_const AS c;

-- name: project_context.project_requirements
INSERT INTO project_context.project_requirements (
    project_id, requirement_type, name, is_mandatory, min_years, min_level, sort_order
)
SELECT sp.id, 'SKILL', (%(skill_names)s::text[])[1 + mod(sp.project_no, 30)], true,
    2 + mod(sp.project_no, 4), 3, 1
FROM seed_projects AS sp
UNION ALL
SELECT sp.id, 'SKILL', (%(skill_names)s::text[])[1 + mod(sp.project_no * 7 + 3, 30)], false, null, 2, 2
FROM seed_projects AS sp
UNION ALL
SELECT sp.id, 'DOMAIN', (ARRAY['金融業務', '製造業務', '流通業務', '公共業務'])[1 + mod(sp.project_no, 4)], false, 1, null, 3
FROM seed_projects AS sp;

-- name: project_context.project_phases
INSERT INTO project_context.project_phases (
    id, project_id, sequence_no, name, phase_type, status, start_date, end_date
)
SELECT
    md5('ses-seed:phase:' || sp.project_no || ':' || ph.n)::uuid,
    sp.id,
    ph.n::smallint,
    ph.name,
    ph.kind,
    CASE
        WHEN sp.status IN ('CANCELLED', 'LOST') THEN 'CANCELLED'
        WHEN sp.start_date IS null THEN 'PLANNED'
        WHEN sp.start_date + (sp.end_date - sp.start_date) * ph.n / 3 < c.today THEN 'COMPLETED'
        WHEN sp.start_date + (sp.end_date - sp.start_date) * (ph.n - 1) / 3 <= c.today THEN 'IN_PROGRESS'
        ELSE 'PLANNED'
    END,
    sp.start_date + (sp.end_date - sp.start_date) * (ph.n - 1) / 3,
    sp.start_date + (sp.end_date - sp.start_date) * ph.n / 3 - CASE WHEN ph.n < 3 THEN 1 ELSE 0 END
FROM seed_projects AS sp
CROSS JOIN seed_const AS c
CROSS JOIN (VALUES (1, '設計', 'DESIGN'), (2, '開発', 'DEVELOPMENT'), (3, 'テスト', 'TESTING')) AS ph (n, name, kind);

-- name: project_context.project_milestones
INSERT INTO project_context.project_milestones (project_id, phase_id, name, due_date, status, achieved_at)
SELECT
    ph.project_id,
    ph.id,
    ph.name || '完了',
    coalesce(ph.end_date, c.this_month + 180),
    CASE
        WHEN ph.status = 'CANCELLED' THEN 'CANCELLED'
        WHEN ph.status = 'COMPLETED' THEN 'ACHIEVED'
        ELSE 'PLANNED'
    END,
    CASE WHEN ph.status = 'COMPLETED' THEN ph.end_date::timestamptz END
FROM project_context.project_phases AS ph
CROSS JOIN seed_const AS c
WHERE ph.sequence_no IN (1, 3);
