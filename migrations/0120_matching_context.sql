-- depends: 0100_ses_common
-- Phase 1 (core): matching_context, finding engineers for a project.
--
-- Why these columns: a matching request copies the project's conditions at the
-- time of the request (skills, budget, start, chain limit) so a score can be
-- explained later even if the project changes; candidates carry the score and
-- its per-factor breakdown; results record the decision that leads to a
-- contract. scoring_criteria holds the factor weights per tenant; the factor
-- list is closed by a CHECK and contains no protected attribute (age, sex,
-- nationality, birthplace can never become a factor).
-- Cross-context references (checked by tg_<table>__check_references):
-- project_id -> project_context.projects, engineer_id -> engineer_context.engineers.

CREATE SCHEMA matching_context;
REVOKE ALL ON SCHEMA matching_context FROM PUBLIC;

CREATE TABLE matching_context.matching_requests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    title text NOT NULL CHECK (btrim(title) <> ''),
    required_skills jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(required_skills) = 'array'),
    preferred_skills jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(preferred_skills) = 'array'),
    headcount smallint NOT NULL DEFAULT 1 CHECK (headcount > 0),
    budget_min numeric(12, 2) CHECK (budget_min >= 0),
    budget_max numeric(12, 2) CHECK (budget_max >= 0),
    desired_start_date date,
    start_by_date date,
    work_location text,
    remote_policy text CHECK (remote_policy IN ('ONSITE', 'HYBRID', 'REMOTE')),
    max_chain_depth smallint CHECK (max_chain_depth >= 0),
    contract_type text CHECK (contract_type IN ('QUASI_MANDATE', 'DISPATCH')),
    status text NOT NULL DEFAULT 'OPEN' CHECK (
        status IN ('DRAFT', 'OPEN', 'SEARCHING', 'PROPOSING', 'COMPLETED', 'CANCELLED', 'EXPIRED')
    ),
    requested_by uuid,
    project_manager_id uuid,
    sales_manager_id uuid,
    expires_at timestamptz,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT matching_requests_budget_ordered CHECK (budget_max >= budget_min)
);

COMMENT ON TABLE matching_context.matching_requests IS
'Matching requests (マッチング依頼): a project''s need for engineers, with the conditions copied at request time. OPEN -> SEARCHING -> PROPOSING -> COMPLETED (MatchingCompleted event), or CANCELLED / EXPIRED.';
COMMENT ON COLUMN matching_context.matching_requests.project_id IS 'Project to staff (project_context.projects; checked by tg_matching_requests__check_references).';
COMMENT ON COLUMN matching_context.matching_requests.customer_id IS 'Customer of the project (copied); owner column for row-level security.';
COMMENT ON COLUMN matching_context.matching_requests.title IS 'Short title of the request.';
COMMENT ON COLUMN matching_context.matching_requests.required_skills IS 'Must-have skills as a JSON array, e.g. [{"name": "Java", "years": 3, "level": 3}]; a candidate missing one is excluded. GIN-indexed.';
COMMENT ON COLUMN matching_context.matching_requests.preferred_skills IS 'Nice-to-have skills, same shape as required_skills.';
COMMENT ON COLUMN matching_context.matching_requests.headcount IS 'How many engineers are wanted.';
COMMENT ON COLUMN matching_context.matching_requests.budget_min IS 'Lowest monthly unit price offered, in yen.';
COMMENT ON COLUMN matching_context.matching_requests.budget_max IS 'Highest monthly unit price offered, in yen; the rate factor is full up to it and drops above it.';
COMMENT ON COLUMN matching_context.matching_requests.desired_start_date IS 'When the customer wants the engineer to start (start-date factor).';
COMMENT ON COLUMN matching_context.matching_requests.start_by_date IS 'Optional hard filter: engineers available later are excluded.';
COMMENT ON COLUMN matching_context.matching_requests.work_location IS 'Where the work is done (location factor).';
COMMENT ON COLUMN matching_context.matching_requests.remote_policy IS 'ONSITE, HYBRID or REMOTE.';
COMMENT ON COLUMN matching_context.matching_requests.max_chain_depth IS 'Hard filter on engineers.chain_depth (商流 limit); NULL no limit.';
COMMENT ON COLUMN matching_context.matching_requests.contract_type IS 'QUASI_MANDATE (準委任) or DISPATCH (派遣). Under DISPATCH the customer may not interview or select candidates (特定目的行為).';
COMMENT ON COLUMN matching_context.matching_requests.status IS 'DRAFT, OPEN, SEARCHING, PROPOSING, COMPLETED, CANCELLED or EXPIRED.';
COMMENT ON COLUMN matching_context.matching_requests.requested_by IS 'User who created the request.';
COMMENT ON COLUMN matching_context.matching_requests.project_manager_id IS 'Project manager (copied from the project); owner column.';
COMMENT ON COLUMN matching_context.matching_requests.sales_manager_id IS 'Sales user in charge; owner column.';
COMMENT ON COLUMN matching_context.matching_requests.expires_at IS 'When an unfilled request expires.';
COMMENT ON COLUMN matching_context.matching_requests.completed_at IS 'When the request was completed.';

CREATE INDEX idx_matching_criteria_gin ON matching_context.matching_requests USING gin (required_skills);
CREATE INDEX matching_requests_status_idx ON matching_context.matching_requests (status, desired_start_date) WHERE deleted_at IS NULL;

CREATE TABLE matching_context.matching_candidates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    matching_request_id uuid NOT NULL REFERENCES matching_context.matching_requests (id) ON DELETE CASCADE,
    engineer_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'SUGGESTED' CHECK (
        status IN ('SUGGESTED', 'SHORTLISTED', 'PROPOSED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXCLUDED')
    ),
    score numeric(5, 2) CHECK (score BETWEEN 0 AND 100),
    score_breakdown jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(score_breakdown) = 'object'),
    exclusion_reason text,
    proposed_unit_price numeric(12, 2) CHECK (proposed_unit_price >= 0),
    sales_manager_id uuid,
    proposed_at timestamptz,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT matching_candidates_excluded_has_reason CHECK ((status = 'EXCLUDED') = (exclusion_reason IS NOT NULL))
);

COMMENT ON TABLE matching_context.matching_candidates IS
'Candidates (候補者) for a matching request: engineers scored against it, shortlisted and proposed to the customer.';
COMMENT ON COLUMN matching_context.matching_candidates.matching_request_id IS 'Request the engineer is a candidate for.';
COMMENT ON COLUMN matching_context.matching_candidates.engineer_id IS 'Candidate engineer (engineer_context.engineers; checked by tg_matching_candidates__check_references); owner column for the engineer role.';
COMMENT ON COLUMN matching_context.matching_candidates.status IS 'SUGGESTED (scored), SHORTLISTED, PROPOSED (to the customer), ACCEPTED, DECLINED, WITHDRAWN or EXCLUDED (failed a hard filter).';
COMMENT ON COLUMN matching_context.matching_candidates.score IS 'Weighted score 0-100 (sum of weight x factor score); ties are ordered by engineer_id.';
COMMENT ON COLUMN matching_context.matching_candidates.score_breakdown IS 'Per-factor scores and weights as a JSON object, e.g. {"MUST_HAVE_SKILLS": {"weight": 45, "score": 1.0}}.';
COMMENT ON COLUMN matching_context.matching_candidates.exclusion_reason IS 'Hard filter that excluded the candidate; set exactly when status is EXCLUDED.';
COMMENT ON COLUMN matching_context.matching_candidates.proposed_unit_price IS 'Monthly unit price proposed to the customer, in yen.';
COMMENT ON COLUMN matching_context.matching_candidates.sales_manager_id IS 'Sales user proposing the candidate; owner column.';
COMMENT ON COLUMN matching_context.matching_candidates.proposed_at IS 'When the candidate was proposed to the customer.';
COMMENT ON COLUMN matching_context.matching_candidates.note IS 'Free note.';

CREATE UNIQUE INDEX matching_candidates_request_engineer_key
ON matching_context.matching_candidates (matching_request_id, engineer_id) WHERE deleted_at IS NULL;
CREATE INDEX matching_candidates_request_score_idx
ON matching_context.matching_candidates (matching_request_id, score DESC, engineer_id) WHERE deleted_at IS NULL;

CREATE TABLE matching_context.matching_results (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    matching_request_id uuid NOT NULL REFERENCES matching_context.matching_requests (id) ON DELETE CASCADE,
    matching_candidate_id uuid REFERENCES matching_context.matching_candidates (id) ON DELETE SET NULL,
    project_id uuid NOT NULL,
    engineer_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'PENDING' CHECK (
        status IN ('PENDING', 'APPROVED', 'REJECTED', 'CONTRACTED', 'CANCELLED')
    ),
    matching_score numeric(5, 2) CHECK (matching_score BETWEEN 0 AND 100),
    agreed_unit_price numeric(12, 2) CHECK (agreed_unit_price >= 0),
    expected_start_date date,
    decided_at timestamptz,
    decided_by uuid,
    decision_reason text,
    sales_manager_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT matching_results_decided_has_time CHECK (status = 'PENDING' OR decided_at IS NOT NULL)
);

COMMENT ON TABLE matching_context.matching_results IS
'Matching results (マッチング結果): the decision on a candidate. PENDING -> APPROVED -> CONTRACTED (a contract was made), or REJECTED / CANCELLED. Feeds the MatchingCompleted statistics.';
COMMENT ON COLUMN matching_context.matching_results.matching_request_id IS 'Request decided.';
COMMENT ON COLUMN matching_context.matching_results.matching_candidate_id IS 'Candidate row the decision is about.';
COMMENT ON COLUMN matching_context.matching_results.project_id IS 'Project (project_context.projects; checked by tg_matching_results__check_references).';
COMMENT ON COLUMN matching_context.matching_results.engineer_id IS 'Engineer (engineer_context.engineers; checked); owner column for the engineer role.';
COMMENT ON COLUMN matching_context.matching_results.customer_id IS 'Customer of the project; owner column for the customer role.';
COMMENT ON COLUMN matching_context.matching_results.status IS 'PENDING, APPROVED, REJECTED, CONTRACTED or CANCELLED.';
COMMENT ON COLUMN matching_context.matching_results.matching_score IS 'Score 0-100 the decision was made on.';
COMMENT ON COLUMN matching_context.matching_results.agreed_unit_price IS 'Monthly unit price agreed with the customer, in yen.';
COMMENT ON COLUMN matching_context.matching_results.expected_start_date IS 'Agreed start date.';
COMMENT ON COLUMN matching_context.matching_results.decided_at IS 'When the decision was made; required once not PENDING.';
COMMENT ON COLUMN matching_context.matching_results.decided_by IS 'User who recorded the decision.';
COMMENT ON COLUMN matching_context.matching_results.decision_reason IS 'Why (mainly for REJECTED and CANCELLED).';
COMMENT ON COLUMN matching_context.matching_results.sales_manager_id IS 'Sales user in charge; owner column.';

CREATE INDEX idx_matching_status_score
ON matching_context.matching_results (status, matching_score DESC) WHERE deleted_at IS NULL;

CREATE TABLE matching_context.scoring_criteria (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid,
    factor text NOT NULL CHECK (
        factor IN (
            'MUST_HAVE_SKILLS', 'NICE_TO_HAVE_SKILLS', 'START_DATE', 'LOCATION', 'RATE', 'EXPERIENCE_YEARS'
        )
    ),
    weight numeric(5, 2) NOT NULL CHECK (weight BETWEEN 0 AND 100),
    parameters jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parameters) = 'object'),
    is_active boolean NOT NULL DEFAULT TRUE,
    valid_from date NOT NULL DEFAULT current_date,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE matching_context.scoring_criteria IS
'Scoring criteria (スコアリング基準): the weight of each matching factor, per tenant (NULL tenant = the default set: must-have 45, start date 15, nice-to-have 12, location 10, rate 10, years 8). Only the listed factors exist: protected attributes cannot be scored.';
COMMENT ON COLUMN matching_context.scoring_criteria.tenant_id IS 'Tenant (sales organisation) the weights apply to; NULL for the default set.';
COMMENT ON COLUMN matching_context.scoring_criteria.factor IS 'MUST_HAVE_SKILLS, NICE_TO_HAVE_SKILLS, START_DATE, LOCATION, RATE or EXPERIENCE_YEARS.';
COMMENT ON COLUMN matching_context.scoring_criteria.weight IS 'Weight 0-100; the active weights of a tenant are meant to sum to 100.';
COMMENT ON COLUMN matching_context.scoring_criteria.parameters IS 'Factor parameters as a JSON object, e.g. {"zero_at_over_budget_pct": 20} for RATE.';
COMMENT ON COLUMN matching_context.scoring_criteria.is_active IS 'Whether the row is used for scoring.';
COMMENT ON COLUMN matching_context.scoring_criteria.valid_from IS 'First day the weight applies.';
COMMENT ON COLUMN matching_context.scoring_criteria.description IS 'Why the weight was chosen.';

CREATE UNIQUE INDEX scoring_criteria_tenant_factor_key
ON matching_context.scoring_criteria (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), factor, valid_from)
WHERE deleted_at IS NULL AND is_active;

INSERT INTO ses_common.cross_context_references
    (source_schema, source_table, source_column, target_schema, target_table, target_label)
VALUES
    ('matching_context', 'matching_requests', 'project_id', 'project_context', 'projects', 'project'),
    ('matching_context', 'matching_candidates', 'engineer_id', 'engineer_context', 'engineers', 'engineer'),
    ('matching_context', 'matching_results', 'project_id', 'project_context', 'projects', 'project'),
    ('matching_context', 'matching_results', 'engineer_id', 'engineer_context', 'engineers', 'engineer');

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'matching_context.matching_requests', 'matching_context.matching_candidates',
        'matching_context.matching_results', 'matching_context.scoring_criteria'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
