-- depends: 0100_ses_common
-- Phase 3 (generic): report_context, statistics, KPIs, dashboards and reports.
--
-- Partitioning (design document): analytics_data yearly on target_year,
-- primary key (id, target_year) (a partitioned table's unique constraints must
-- contain the partition key). target_year must equal the year of target_date
-- (CHECK): PostgreSQL does not allow a generated column as partition key.
-- A DEFAULT partition only catches rows no yearly partition holds; its trigger
-- refuses them with SE003 (see migration 0135 for why).
-- The report context is fed by events from every other context
-- (analytics_data.source_context / dimensions), never by references, so it
-- declares no cross-context reference.

CREATE SCHEMA report_context;
REVOKE ALL ON SCHEMA report_context FROM PUBLIC;

CREATE TABLE report_context.analytics_data (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    target_year smallint NOT NULL CHECK (target_year BETWEEN 2000 AND 2199),
    target_date date NOT NULL,
    category text NOT NULL CHECK (
        category IN (
            'PROJECT', 'ENGINEER', 'MATCHING', 'CONTRACT', 'TIMESHEET', 'BILLING', 'NOTIFICATION',
            'SALES', 'UTILIZATION'
        )
    ),
    metric_key text NOT NULL CHECK (metric_key ~ '^[a-z][a-z0-9_.]*$'),
    granularity text NOT NULL DEFAULT 'DAY' CHECK (granularity IN ('DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR')),
    dimensions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(dimensions) = 'object'),
    metrics jsonb NOT NULL CHECK (jsonb_typeof(metrics) = 'object'),
    source_context text,
    source_event text,
    calculated_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (id, target_year),
    CONSTRAINT analytics_data_year_of_date CHECK (target_year = extract(YEAR FROM target_date))
) PARTITION BY RANGE (target_year);

COMMENT ON TABLE report_context.analytics_data IS
'Statistics (統計データ) computed from the other contexts'' events, partitioned yearly on target_year as analytics_data_YYYY: one row per category, metric key, date and dimension set, values in metrics.';
COMMENT ON COLUMN report_context.analytics_data.target_year IS 'Year of target_date; the partition key (fixed once recorded).';
COMMENT ON COLUMN report_context.analytics_data.target_date IS 'Day (or first day of the week, month, ... by granularity) the figures are for.';
COMMENT ON COLUMN report_context.analytics_data.category IS 'PROJECT, ENGINEER, MATCHING, CONTRACT, TIMESHEET, BILLING, NOTIFICATION, SALES or UTILIZATION.';
COMMENT ON COLUMN report_context.analytics_data.metric_key IS 'Which statistic, dotted lower case, e.g. billing.revenue, engineer.utilization.';
COMMENT ON COLUMN report_context.analytics_data.granularity IS 'DAY, WEEK, MONTH, QUARTER or YEAR.';
COMMENT ON COLUMN report_context.analytics_data.dimensions IS 'What the figures are broken down by, as a JSON object, e.g. {"customer_id": "…"}; {} for the total.';
COMMENT ON COLUMN report_context.analytics_data.metrics IS 'The figures as a JSON object, e.g. {"count": 12, "amount": "7200000"}; GIN-indexed.';
COMMENT ON COLUMN report_context.analytics_data.source_context IS 'Context whose events produced the row, e.g. billing_context.';
COMMENT ON COLUMN report_context.analytics_data.source_event IS 'Event that produced or last updated the row, e.g. InvoiceIssued.';
COMMENT ON COLUMN report_context.analytics_data.calculated_at IS 'When the figures were computed.';

CREATE TABLE report_context.analytics_data_default PARTITION OF report_context.analytics_data DEFAULT;

CREATE INDEX idx_analytics_category_date ON report_context.analytics_data (category, target_date) WHERE deleted_at IS NULL;
CREATE INDEX idx_analytics_metrics_gin ON report_context.analytics_data USING gin (metrics);

CREATE TABLE report_context.kpi_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kpi_code text NOT NULL CHECK (kpi_code ~ '^[A-Z][A-Z0-9_]{2,63}$'),
    name text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    category text NOT NULL CHECK (
        category IN (
            'PROJECT', 'ENGINEER', 'MATCHING', 'CONTRACT', 'TIMESHEET', 'BILLING', 'NOTIFICATION',
            'SALES', 'UTILIZATION'
        )
    ),
    unit text NOT NULL CHECK (unit IN ('COUNT', 'JPY', 'PERCENT', 'HOURS', 'RATIO', 'DAYS')),
    aggregation text NOT NULL DEFAULT 'SUM' CHECK (aggregation IN ('SUM', 'AVG', 'MIN', 'MAX', 'LAST', 'COUNT')),
    direction text NOT NULL DEFAULT 'HIGHER_IS_BETTER' CHECK (direction IN ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')),
    calculation jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(calculation) = 'object'),
    target_value numeric(18, 4),
    warning_threshold numeric(18, 4),
    critical_threshold numeric(18, 4),
    is_active boolean NOT NULL DEFAULT TRUE,
    owner_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE report_context.kpi_definitions IS 'KPI definitions (KPI定義): what is measured, in which unit, how it is aggregated and what the target is, e.g. UTILIZATION_RATE, GROSS_MARGIN.';
COMMENT ON COLUMN report_context.kpi_definitions.kpi_code IS 'KPI code, unique among live definitions.';
COMMENT ON COLUMN report_context.kpi_definitions.name IS 'Display name, e.g. 稼働率.';
COMMENT ON COLUMN report_context.kpi_definitions.description IS 'What the KPI means and how to read it.';
COMMENT ON COLUMN report_context.kpi_definitions.category IS 'Area the KPI belongs to (the analytics_data categories).';
COMMENT ON COLUMN report_context.kpi_definitions.unit IS 'COUNT, JPY, PERCENT, HOURS, RATIO or DAYS.';
COMMENT ON COLUMN report_context.kpi_definitions.aggregation IS 'How values of shorter periods combine: SUM, AVG, MIN, MAX, LAST or COUNT.';
COMMENT ON COLUMN report_context.kpi_definitions.direction IS 'HIGHER_IS_BETTER or LOWER_IS_BETTER, for the thresholds.';
COMMENT ON COLUMN report_context.kpi_definitions.calculation IS 'Declarative calculation as a JSON object (source metric keys, numerator, denominator); never executable SQL.';
COMMENT ON COLUMN report_context.kpi_definitions.target_value IS 'Target value.';
COMMENT ON COLUMN report_context.kpi_definitions.warning_threshold IS 'Value at which a warning is shown.';
COMMENT ON COLUMN report_context.kpi_definitions.critical_threshold IS 'Value at which an alert is raised.';
COMMENT ON COLUMN report_context.kpi_definitions.is_active IS 'Whether the KPI is computed.';
COMMENT ON COLUMN report_context.kpi_definitions.owner_id IS 'User responsible for the KPI; owner column.';

CREATE UNIQUE INDEX kpi_definitions_kpi_code_key ON report_context.kpi_definitions (kpi_code) WHERE deleted_at IS NULL;

CREATE TABLE report_context.kpi_values (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kpi_definition_id uuid NOT NULL REFERENCES report_context.kpi_definitions (id) ON DELETE CASCADE,
    period_type text NOT NULL CHECK (period_type IN ('DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR')),
    period_start date NOT NULL,
    period_end date NOT NULL,
    dimensions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(dimensions) = 'object'),
    value numeric(18, 4) NOT NULL,
    target_value numeric(18, 4),
    status text NOT NULL DEFAULT 'PROVISIONAL' CHECK (status IN ('PROVISIONAL', 'FINAL', 'RECALCULATED')),
    calculated_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT kpi_values_period_ordered CHECK (period_end >= period_start)
);

COMMENT ON TABLE report_context.kpi_values IS 'KPI values (KPI値): one value per KPI, period and dimension set.';
COMMENT ON COLUMN report_context.kpi_values.kpi_definition_id IS 'KPI measured.';
COMMENT ON COLUMN report_context.kpi_values.period_type IS 'DAY, WEEK, MONTH, QUARTER or YEAR.';
COMMENT ON COLUMN report_context.kpi_values.period_start IS 'First day of the period.';
COMMENT ON COLUMN report_context.kpi_values.period_end IS 'Last day of the period.';
COMMENT ON COLUMN report_context.kpi_values.dimensions IS 'Breakdown as a JSON object; {} for the total.';
COMMENT ON COLUMN report_context.kpi_values.value IS 'The value, in the KPI''s unit.';
COMMENT ON COLUMN report_context.kpi_values.target_value IS 'Target in force for the period (copied from the definition).';
COMMENT ON COLUMN report_context.kpi_values.status IS 'PROVISIONAL (period still open), FINAL or RECALCULATED (changed after FINAL).';
COMMENT ON COLUMN report_context.kpi_values.calculated_at IS 'When the value was computed.';

CREATE UNIQUE INDEX kpi_values_period_key
ON report_context.kpi_values (kpi_definition_id, period_type, period_start, dimensions) WHERE deleted_at IS NULL;

CREATE TABLE report_context.dashboards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    owner_id uuid NOT NULL,
    visibility text NOT NULL DEFAULT 'PRIVATE' CHECK (visibility IN ('PRIVATE', 'ROLE', 'PUBLIC')),
    shared_roles text[] NOT NULL DEFAULT '{}',
    layout jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(layout) = 'object'),
    is_default boolean NOT NULL DEFAULT FALSE,
    refresh_interval_seconds integer CHECK (refresh_interval_seconds >= 10),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT dashboards_role_visibility_has_roles CHECK (visibility <> 'ROLE' OR cardinality(shared_roles) > 0)
);

COMMENT ON TABLE report_context.dashboards IS 'Dashboards (ダッシュボード): a user''s arrangement of widgets, private or shared with roles.';
COMMENT ON COLUMN report_context.dashboards.name IS 'Dashboard name.';
COMMENT ON COLUMN report_context.dashboards.description IS 'What the dashboard is for.';
COMMENT ON COLUMN report_context.dashboards.owner_id IS 'User who owns the dashboard; owner column.';
COMMENT ON COLUMN report_context.dashboards.visibility IS 'PRIVATE (owner only), ROLE (the shared_roles) or PUBLIC (every SES user).';
COMMENT ON COLUMN report_context.dashboards.shared_roles IS 'Roles the dashboard is shared with when visibility is ROLE, e.g. {ses_finance_role}.';
COMMENT ON COLUMN report_context.dashboards.layout IS 'Grid settings as a JSON object (columns, theme).';
COMMENT ON COLUMN report_context.dashboards.is_default IS 'Shown first to its owner.';
COMMENT ON COLUMN report_context.dashboards.refresh_interval_seconds IS 'How often the client refreshes it; NULL manual.';

CREATE TABLE report_context.dashboard_widgets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dashboard_id uuid NOT NULL REFERENCES report_context.dashboards (id) ON DELETE CASCADE,
    kpi_definition_id uuid REFERENCES report_context.kpi_definitions (id) ON DELETE SET NULL,
    widget_type text NOT NULL CHECK (
        widget_type IN ('KPI_CARD', 'LINE_CHART', 'BAR_CHART', 'PIE_CHART', 'TABLE', 'TEXT')
    ),
    title text NOT NULL,
    data_source text,
    query_params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(query_params) = 'object'),
    position_x smallint NOT NULL DEFAULT 0 CHECK (position_x >= 0),
    position_y smallint NOT NULL DEFAULT 0 CHECK (position_y >= 0),
    width smallint NOT NULL DEFAULT 4 CHECK (width BETWEEN 1 AND 24),
    height smallint NOT NULL DEFAULT 3 CHECK (height BETWEEN 1 AND 24),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE report_context.dashboard_widgets IS 'Widgets (ダッシュボードウィジェット) placed on a dashboard: a KPI card, chart, table or text.';
COMMENT ON COLUMN report_context.dashboard_widgets.dashboard_id IS 'Dashboard the widget is on.';
COMMENT ON COLUMN report_context.dashboard_widgets.kpi_definition_id IS 'KPI shown, for KPI widgets.';
COMMENT ON COLUMN report_context.dashboard_widgets.widget_type IS 'KPI_CARD, LINE_CHART, BAR_CHART, PIE_CHART, TABLE or TEXT.';
COMMENT ON COLUMN report_context.dashboard_widgets.title IS 'Title shown on the widget.';
COMMENT ON COLUMN report_context.dashboard_widgets.data_source IS 'Named data source (a view or statistic key, e.g. monthly_revenue_stats), never SQL text.';
COMMENT ON COLUMN report_context.dashboard_widgets.query_params IS 'Filters and options for the data source, as a JSON object.';
COMMENT ON COLUMN report_context.dashboard_widgets.position_x IS 'Grid column of the top-left corner.';
COMMENT ON COLUMN report_context.dashboard_widgets.position_y IS 'Grid row of the top-left corner.';
COMMENT ON COLUMN report_context.dashboard_widgets.width IS 'Width in grid columns.';
COMMENT ON COLUMN report_context.dashboard_widgets.height IS 'Height in grid rows.';

CREATE TABLE report_context.report_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    template_code text NOT NULL CHECK (template_code ~ '^[A-Z][A-Z0-9_]{2,63}$'),
    name text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    report_type text NOT NULL CHECK (
        report_type IN (
            'MONTHLY_REVENUE', 'UTILIZATION', 'TIMESHEET_SUMMARY', 'INVOICE_LIST', 'CONTRACT_EXPIRY', 'CUSTOM'
        )
    ),
    output_format text NOT NULL DEFAULT 'PDF' CHECK (output_format IN ('PDF', 'CSV', 'XLSX', 'HTML')),
    parameters_schema jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parameters_schema) = 'object'),
    template_body text,
    is_active boolean NOT NULL DEFAULT TRUE,
    owner_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE report_context.report_templates IS 'Report templates (レポートテンプレート): the reports users can generate, with their parameters and output format.';
COMMENT ON COLUMN report_context.report_templates.template_code IS 'Template code, unique among live templates.';
COMMENT ON COLUMN report_context.report_templates.name IS 'Display name, e.g. 月次売上レポート.';
COMMENT ON COLUMN report_context.report_templates.description IS 'What the report shows.';
COMMENT ON COLUMN report_context.report_templates.report_type IS 'MONTHLY_REVENUE, UTILIZATION, TIMESHEET_SUMMARY, INVOICE_LIST, CONTRACT_EXPIRY or CUSTOM.';
COMMENT ON COLUMN report_context.report_templates.output_format IS 'PDF, CSV, XLSX or HTML.';
COMMENT ON COLUMN report_context.report_templates.parameters_schema IS 'JSON Schema of the parameters a request must give (period, customer, ...).';
COMMENT ON COLUMN report_context.report_templates.template_body IS 'Layout template of the output.';
COMMENT ON COLUMN report_context.report_templates.is_active IS 'Whether the template is offered.';
COMMENT ON COLUMN report_context.report_templates.owner_id IS 'User responsible for the template.';

CREATE UNIQUE INDEX report_templates_template_code_key
ON report_context.report_templates (template_code) WHERE deleted_at IS NULL;

CREATE TABLE report_context.generated_reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    report_template_id uuid NOT NULL REFERENCES report_context.report_templates (id) ON DELETE RESTRICT,
    requested_by uuid NOT NULL,
    parameters jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parameters) = 'object'),
    period_start date,
    period_end date,
    status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'EXPIRED')),
    started_at timestamptz,
    completed_at timestamptz,
    file_uri text,
    file_size_bytes bigint CHECK (file_size_bytes >= 0),
    file_sha256 text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    error_message text,
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT generated_reports_period_ordered CHECK (period_end >= period_start),
    CONSTRAINT generated_reports_completed_has_file CHECK (status <> 'COMPLETED' OR file_uri IS NOT NULL),
    CONSTRAINT generated_reports_failed_has_error CHECK (status <> 'FAILED' OR error_message IS NOT NULL)
);

COMMENT ON TABLE report_context.generated_reports IS 'Generated reports (生成レポート): each request to render a template, its progress and the resulting file.';
COMMENT ON COLUMN report_context.generated_reports.report_template_id IS 'Template rendered.';
COMMENT ON COLUMN report_context.generated_reports.requested_by IS 'User who asked for the report; owner column.';
COMMENT ON COLUMN report_context.generated_reports.parameters IS 'Parameters given, as a JSON object (validated against the template''s parameters_schema).';
COMMENT ON COLUMN report_context.generated_reports.period_start IS 'First day reported on, if the report covers a period.';
COMMENT ON COLUMN report_context.generated_reports.period_end IS 'Last day reported on.';
COMMENT ON COLUMN report_context.generated_reports.status IS 'QUEUED, RUNNING, COMPLETED, FAILED or EXPIRED (file removed).';
COMMENT ON COLUMN report_context.generated_reports.started_at IS 'When rendering started.';
COMMENT ON COLUMN report_context.generated_reports.completed_at IS 'When rendering finished.';
COMMENT ON COLUMN report_context.generated_reports.file_uri IS 'Where the file is stored (object storage URI); required for COMPLETED.';
COMMENT ON COLUMN report_context.generated_reports.file_size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN report_context.generated_reports.file_sha256 IS 'SHA-256 (hex) of the file.';
COMMENT ON COLUMN report_context.generated_reports.error_message IS 'Why rendering failed; required for FAILED.';
COMMENT ON COLUMN report_context.generated_reports.expires_at IS 'When the file will be removed.';

INSERT INTO ses_common.partitioned_tables (table_schema, table_name, key_kind, periods_ahead)
VALUES ('report_context', 'analytics_data', 'YEAR', 1);

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'report_context.analytics_data', 'report_context.kpi_definitions', 'report_context.kpi_values',
        'report_context.dashboards', 'report_context.dashboard_widgets',
        'report_context.report_templates', 'report_context.generated_reports'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
