-- depends: 0100_ses_common
-- Phase 1 (core): project_context, the projects (案件) offered by customers.
--
-- Why these columns: a project is what sales sells and matching fills: the
-- customer, the period, the budget and the monthly unit-price range, the
-- required skills (requirements jsonb for search, project_requirements rows for
-- scoring), the commercial-chain limit, and the project and sales managers that
-- row-level security will key on. Customers and users live in other systems:
-- they are referred to by uuid and a name snapshot, without a table here.
-- References inside the context are foreign keys; none leave it.
-- Common columns (id, created_at, updated_at, deleted_at, version) on every table;
-- their triggers are attached by ses_common.attach_common_triggers.

CREATE SCHEMA project_context;
REVOKE ALL ON SCHEMA project_context FROM PUBLIC;

CREATE TABLE project_context.projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_code text NOT NULL CHECK (project_code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    name text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    customer_id uuid NOT NULL,
    customer_name text NOT NULL,
    end_customer_name text,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (
        status IN ('DRAFT', 'OPEN', 'PROPOSING', 'ORDERED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED', 'LOST')
    ),
    priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    start_date date,
    end_date date,
    budget_amount numeric(14, 2) CHECK (budget_amount >= 0),
    unit_price_min numeric(12, 2) CHECK (unit_price_min >= 0),
    unit_price_max numeric(12, 2) CHECK (unit_price_max >= 0),
    required_headcount smallint NOT NULL DEFAULT 1 CHECK (required_headcount > 0),
    requirements jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(requirements) = 'object'),
    contract_type text CHECK (contract_type IN ('QUASI_MANDATE', 'DISPATCH')),
    work_location text,
    remote_policy text NOT NULL DEFAULT 'ONSITE' CHECK (remote_policy IN ('ONSITE', 'HYBRID', 'REMOTE')),
    max_chain_depth smallint CHECK (max_chain_depth >= 0),
    project_manager_id uuid,
    sales_manager_id uuid,
    ordered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT projects_period_ordered CHECK (end_date >= start_date),
    CONSTRAINT projects_unit_price_range_ordered CHECK (unit_price_max >= unit_price_min),
    CONSTRAINT projects_ordered_has_period CHECK (
        status IN ('DRAFT', 'OPEN', 'PROPOSING', 'CANCELLED', 'LOST') OR start_date IS NOT NULL
    )
);

COMMENT ON TABLE project_context.projects IS
'Projects (案件) a customer asks engineers for: period, budget, unit-price range, required skills. Life cycle DRAFT -> OPEN (recruiting) -> PROPOSING -> ORDERED (受注) -> ACTIVE -> COMPLETED, with ON_HOLD, CANCELLED and LOST (失注). Soft-deleted, never removed outside a purge.';
COMMENT ON COLUMN project_context.projects.project_code IS 'Human project code, unique among live projects (upper case, digits, - and _).';
COMMENT ON COLUMN project_context.projects.name IS 'Project name as shown to sales and engineers.';
COMMENT ON COLUMN project_context.projects.description IS 'Free description of the work.';
COMMENT ON COLUMN project_context.projects.customer_id IS 'Customer (the contracting client) in the customer system; owner column for the customer role''s row-level security.';
COMMENT ON COLUMN project_context.projects.customer_name IS 'Customer name as at entry (snapshot; the customer system is the source).';
COMMENT ON COLUMN project_context.projects.end_customer_name IS 'End user of the work when the customer is itself an intermediary (商流 above us).';
COMMENT ON COLUMN project_context.projects.status IS 'DRAFT, OPEN, PROPOSING, ORDERED, ACTIVE, ON_HOLD, COMPLETED, CANCELLED or LOST.';
COMMENT ON COLUMN project_context.projects.priority IS 'Sales priority 1 (lowest) to 5 (highest).';
COMMENT ON COLUMN project_context.projects.start_date IS 'Planned or actual first day; required from ORDERED on.';
COMMENT ON COLUMN project_context.projects.end_date IS 'Planned or actual last day; NULL while open-ended.';
COMMENT ON COLUMN project_context.projects.budget_amount IS 'Total budget in yen (numeric, never float).';
COMMENT ON COLUMN project_context.projects.unit_price_min IS 'Lowest monthly unit price (単価 per 1.0 人月) the customer accepts, in yen.';
COMMENT ON COLUMN project_context.projects.unit_price_max IS 'Highest monthly unit price the customer accepts, in yen; matching scores rates above it down.';
COMMENT ON COLUMN project_context.projects.required_headcount IS 'How many engineers the project needs.';
COMMENT ON COLUMN project_context.projects.requirements IS 'Required and preferred skills and conditions as a JSON object, e.g. {"must": [{"skill": "Java", "years": 3}], "nice": [...]}; GIN-indexed for containment search.';
COMMENT ON COLUMN project_context.projects.contract_type IS 'Contract form the customer wants: QUASI_MANDATE (準委任) or DISPATCH (派遣); NULL when either.';
COMMENT ON COLUMN project_context.projects.work_location IS 'Where the work is done (station or address).';
COMMENT ON COLUMN project_context.projects.remote_policy IS 'ONSITE, HYBRID or REMOTE.';
COMMENT ON COLUMN project_context.projects.max_chain_depth IS 'Deepest commercial chain (商流) the customer accepts: 0 own staff only, 1 one partner tier, ...; NULL no limit.';
COMMENT ON COLUMN project_context.projects.project_manager_id IS 'User managing the project; owner column for the project manager role.';
COMMENT ON COLUMN project_context.projects.sales_manager_id IS 'Sales user in charge; owner column for the project manager role.';
COMMENT ON COLUMN project_context.projects.ordered_at IS 'When the order was received (ProjectOrdered event).';

CREATE UNIQUE INDEX projects_project_code_key ON project_context.projects (project_code) WHERE deleted_at IS NULL;
CREATE INDEX idx_projects_status_priority ON project_context.projects (status, priority) WHERE deleted_at IS NULL;
CREATE INDEX idx_projects_start_end_date ON project_context.projects (start_date, end_date) WHERE deleted_at IS NULL;
CREATE INDEX idx_projects_requirements_gin ON project_context.projects USING gin (requirements);

CREATE TABLE project_context.project_requirements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES project_context.projects (id) ON DELETE CASCADE,
    requirement_type text NOT NULL CHECK (
        requirement_type IN ('SKILL', 'EXPERIENCE', 'CERTIFICATION', 'LANGUAGE', 'DOMAIN', 'OTHER')
    ),
    name text NOT NULL CHECK (btrim(name) <> ''),
    is_mandatory boolean NOT NULL DEFAULT TRUE,
    min_years numeric(4, 1) CHECK (min_years >= 0),
    min_level smallint CHECK (min_level BETWEEN 1 AND 5),
    description text,
    sort_order smallint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE project_context.project_requirements IS
'Requirement definition (要件定義) of a project, one row per must-have or nice-to-have condition; matching reads these as its hard filters and skill factors.';
COMMENT ON COLUMN project_context.project_requirements.project_id IS 'Project the requirement belongs to.';
COMMENT ON COLUMN project_context.project_requirements.requirement_type IS 'SKILL, EXPERIENCE, CERTIFICATION, LANGUAGE, DOMAIN or OTHER.';
COMMENT ON COLUMN project_context.project_requirements.name IS 'What is required, e.g. Java, AWS, 金融業務, 基本情報技術者.';
COMMENT ON COLUMN project_context.project_requirements.is_mandatory IS 'true: must-have (a candidate lacking it is excluded); false: nice-to-have.';
COMMENT ON COLUMN project_context.project_requirements.min_years IS 'Minimum years of experience; more years earn no bonus.';
COMMENT ON COLUMN project_context.project_requirements.min_level IS 'Minimum skill level 1-5 (the skill_assessments scale).';
COMMENT ON COLUMN project_context.project_requirements.description IS 'Free explanation of the requirement.';
COMMENT ON COLUMN project_context.project_requirements.sort_order IS 'Display order within the project.';

CREATE TABLE project_context.project_phases (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES project_context.projects (id) ON DELETE CASCADE,
    sequence_no smallint NOT NULL CHECK (sequence_no > 0),
    name text NOT NULL CHECK (btrim(name) <> ''),
    phase_type text NOT NULL DEFAULT 'OTHER' CHECK (
        phase_type IN ('REQUIREMENTS', 'DESIGN', 'DEVELOPMENT', 'TESTING', 'RELEASE', 'OPERATION', 'OTHER')
    ),
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
    start_date date,
    end_date date,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT project_phases_period_ordered CHECK (end_date >= start_date)
);

COMMENT ON TABLE project_context.project_phases IS 'Phases (フェーズ) of a project in order, e.g. design, development, testing.';
COMMENT ON COLUMN project_context.project_phases.project_id IS 'Project the phase belongs to.';
COMMENT ON COLUMN project_context.project_phases.sequence_no IS 'Position of the phase in the project (1, 2, ...), unique among live phases.';
COMMENT ON COLUMN project_context.project_phases.name IS 'Phase name.';
COMMENT ON COLUMN project_context.project_phases.phase_type IS 'REQUIREMENTS, DESIGN, DEVELOPMENT, TESTING, RELEASE, OPERATION or OTHER.';
COMMENT ON COLUMN project_context.project_phases.status IS 'PLANNED, IN_PROGRESS, COMPLETED or CANCELLED.';
COMMENT ON COLUMN project_context.project_phases.start_date IS 'First day of the phase.';
COMMENT ON COLUMN project_context.project_phases.end_date IS 'Last day of the phase.';
COMMENT ON COLUMN project_context.project_phases.description IS 'Free description.';

CREATE UNIQUE INDEX project_phases_sequence_key
ON project_context.project_phases (project_id, sequence_no) WHERE deleted_at IS NULL;

CREATE TABLE project_context.project_milestones (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES project_context.projects (id) ON DELETE CASCADE,
    phase_id uuid REFERENCES project_context.project_phases (id) ON DELETE SET NULL,
    name text NOT NULL CHECK (btrim(name) <> ''),
    due_date date NOT NULL,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'ACHIEVED', 'MISSED', 'CANCELLED')),
    achieved_at timestamptz,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT project_milestones_achieved_has_time CHECK ((status = 'ACHIEVED') = (achieved_at IS NOT NULL))
);

COMMENT ON TABLE project_context.project_milestones IS 'Milestones (マイルストーン) of a project: dated checkpoints, optionally within a phase.';
COMMENT ON COLUMN project_context.project_milestones.project_id IS 'Project the milestone belongs to.';
COMMENT ON COLUMN project_context.project_milestones.phase_id IS 'Phase the milestone closes, if any.';
COMMENT ON COLUMN project_context.project_milestones.name IS 'Milestone name, e.g. 結合テスト完了.';
COMMENT ON COLUMN project_context.project_milestones.due_date IS 'Date the milestone is due.';
COMMENT ON COLUMN project_context.project_milestones.status IS 'PLANNED, ACHIEVED, MISSED or CANCELLED.';
COMMENT ON COLUMN project_context.project_milestones.achieved_at IS 'When it was achieved; set exactly when status is ACHIEVED.';
COMMENT ON COLUMN project_context.project_milestones.description IS 'Free description.';

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'project_context.projects', 'project_context.project_requirements',
        'project_context.project_phases', 'project_context.project_milestones'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
