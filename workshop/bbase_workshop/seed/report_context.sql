-- Why: fills report_context with figures computed from the rows just generated
-- (monthly sales, utilisation, hours), the KPIs over them, dashboards and
-- generated monthly reports.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: report_context.analytics_data
INSERT INTO report_context.analytics_data (
    target_year, target_date, category, metric_key, granularity, dimensions, metrics, source_context,
    source_event, calculated_at
)
SELECT m.y, m.month_start, 'SALES', 'sales.revenue', 'MONTH', '{}'::jsonb,
    jsonb_build_object('invoices', count(i.id), 'subtotal', coalesce(sum(i.subtotal_amount), 0),
        'total', coalesce(sum(i.total_amount), 0)),
    'billing_context', 'InvoiceIssued', (m.month_end + 6)::timestamptz
FROM seed_months AS m
LEFT JOIN billing_context.invoices AS i
    ON i.invoice_year = m.y AND i.invoice_month = m.mo AND i.direction = 'RECEIVABLE'
GROUP BY m.y, m.mo, m.month_start, m.month_end
UNION ALL
SELECT m.y, m.month_start, 'UTILIZATION', 'engineers.utilization', 'MONTH', '{}'::jsonb,
    jsonb_build_object('assigned', count(DISTINCT t.engineer_id), 'engineers', %(n_engineers)s,
        'rate', round(100.0 * count(DISTINCT t.engineer_id) / %(n_engineers)s, 2)),
    'timesheet_context', 'TimesheetSubmitted', (m.month_end + 6)::timestamptz
FROM seed_months AS m
LEFT JOIN timesheet_context.timesheets AS t ON t.period_year = m.y AND t.period_month = m.mo
GROUP BY m.y, m.mo, m.month_start, m.month_end
UNION ALL
SELECT m.y, m.month_start, 'TIMESHEET', 'timesheets.hours', 'MONTH', '{}'::jsonb,
    jsonb_build_object('timesheets', count(t.id), 'billable_hours', coalesce(sum(t.billable_hours), 0),
        'out_of_range', count(t.id) FILTER (WHERE t.out_of_range)),
    'timesheet_context', 'TimesheetSubmitted', (m.month_end + 6)::timestamptz
FROM seed_months AS m
LEFT JOIN timesheet_context.timesheets AS t ON t.period_year = m.y AND t.period_month = m.mo
GROUP BY m.y, m.mo, m.month_start, m.month_end;

-- name: report_context.kpi_definitions
INSERT INTO report_context.kpi_definitions (
    id, kpi_code, name, description, category, unit, aggregation, direction, calculation, target_value
)
VALUES
    (md5('ses-seed:kpi:MONTHLY_REVENUE')::uuid, 'MONTHLY_REVENUE', '月次売上', '発行済み請求書の税抜合計',
        'SALES', 'JPY', 'SUM', 'HIGHER_IS_BETTER', '{"metric_key": "sales.revenue", "field": "subtotal"}', NULL),
    (md5('ses-seed:kpi:UTILIZATION_RATE')::uuid, 'UTILIZATION_RATE', '稼働率', '稼働中技術者 / 全技術者',
        'UTILIZATION', 'PERCENT', 'LAST', 'HIGHER_IS_BETTER', '{"metric_key": "engineers.utilization", "field": "rate"}', 85),
    (md5('ses-seed:kpi:BILLABLE_HOURS')::uuid, 'BILLABLE_HOURS', '請求対象時間', '月間の請求対象時間合計',
        'TIMESHEET', 'HOURS', 'SUM', 'HIGHER_IS_BETTER', '{"metric_key": "timesheets.hours", "field": "billable_hours"}', NULL);

-- name: report_context.kpi_values
INSERT INTO report_context.kpi_values (
    kpi_definition_id, period_type, period_start, period_end, value, target_value, status, calculated_at
)
SELECT k.id, 'MONTH', a.target_date, (a.target_date + INTERVAL '1 month' - INTERVAL '1 day')::date,
    (a.metrics ->> (k.calculation ->> 'field'))::numeric, k.target_value,
    CASE WHEN a.target_date < (SELECT this_month FROM seed_const) THEN 'FINAL' ELSE 'PROVISIONAL' END,
    a.calculated_at
FROM report_context.analytics_data AS a
INNER JOIN report_context.kpi_definitions AS k ON a.metric_key = k.calculation ->> 'metric_key';

-- name: report_context.dashboards
INSERT INTO report_context.dashboards (id, name, description, owner_id, visibility, shared_roles, layout, is_default,
    refresh_interval_seconds)
VALUES
    (md5('ses-seed:dashboard:1')::uuid, '経営ダッシュボード', '売上・稼働率・未入金', md5('ses-seed:staff:1')::uuid,
        'ROLE', ARRAY['ses_admin_role', 'ses_finance_role'], '{"columns": 12}', TRUE, 300),
    (md5('ses-seed:dashboard:2')::uuid, '営業ダッシュボード', '案件と提案状況', md5('ses-seed:staff:2')::uuid,
        'PUBLIC', '{}', '{"columns": 12}', FALSE, 600),
    (md5('ses-seed:dashboard:3')::uuid, '自分の工数', NULL, md5('ses-seed:staff:3')::uuid,
        'PRIVATE', '{}', '{"columns": 6}', FALSE, NULL);

-- name: report_context.dashboard_widgets
INSERT INTO report_context.dashboard_widgets (
    dashboard_id, kpi_definition_id, widget_type, title, data_source, query_params, position_x, position_y, width, height
)
SELECT md5('ses-seed:dashboard:' || d)::uuid, k.id, w.kind, k.name, 'report_context.kpi_values',
    jsonb_build_object('months', 12), (w.n - 1) * 4, (d - 1) * 3, 4, 3
FROM generate_series(1, 3) AS d
CROSS JOIN (VALUES (1, 'KPI_CARD'), (2, 'LINE_CHART'), (3, 'BAR_CHART')) AS w (n, kind)
INNER JOIN report_context.kpi_definitions AS k
    ON k.kpi_code = (ARRAY['MONTHLY_REVENUE', 'UTILIZATION_RATE', 'BILLABLE_HOURS'])[w.n];

-- name: report_context.report_templates
INSERT INTO report_context.report_templates (id, template_code, name, report_type, output_format, parameters_schema)
VALUES
    (md5('ses-seed:report:MONTHLY_REVENUE')::uuid, 'MONTHLY_REVENUE', '月次売上レポート', 'MONTHLY_REVENUE', 'PDF',
        '{"required": ["year", "month"]}'),
    (md5('ses-seed:report:UTILIZATION')::uuid, 'UTILIZATION', '稼働状況レポート', 'UTILIZATION', 'XLSX', '{}'),
    (md5('ses-seed:report:CONTRACT_EXPIRY')::uuid, 'CONTRACT_EXPIRY', '契約満了予定一覧', 'CONTRACT_EXPIRY', 'CSV', '{}');

-- name: report_context.generated_reports
INSERT INTO report_context.generated_reports (
    report_template_id, requested_by, parameters, period_start, period_end, status, started_at, completed_at,
    file_uri, file_size_bytes, file_sha256, expires_at, created_at
)
SELECT md5('ses-seed:report:MONTHLY_REVENUE')::uuid, md5('ses-seed:staff:1')::uuid,
    jsonb_build_object('year', m.y, 'month', m.mo), m.month_start, m.month_end, 'COMPLETED',
    (m.month_end + 7)::timestamptz, (m.month_end + 7)::timestamptz + INTERVAL '42 seconds',
    's3://bbase-reports/monthly-revenue/' || to_char(m.month_start, 'YYYY-MM') || '.pdf',
    180000 + m.month_no * 100, encode(sha256(convert_to(m.month_start::text, 'UTF8')), 'hex'),
    (m.month_end + 400)::timestamptz, (m.month_end + 7)::timestamptz
FROM seed_months AS m
WHERE m.month_start < (SELECT this_month FROM seed_const);
