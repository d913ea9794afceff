-- depends: 0171_ses_archive_rows 0110_project_context 0115_engineer_context 0130_contract_context 0140_billing_context 0150_report_context
-- The design document's two cross-context materialized views, in report_context.
--
-- Why each has a unique index on plain columns: REFRESH MATERIALIZED VIEW
-- CONCURRENTLY needs one (no expression, no WHERE) to diff old and new rows,
-- and only a concurrent refresh lets dashboards keep reading while it runs.
-- integrated_dashboard_stats is a single row; the document keyed it on
-- last_updated, which changes on every refresh, so every refresh deleted and
-- re-inserted the row; here a constant stats_key (always 1) is the key.
-- Fixes to the document's definitions: monthly_revenue_stats divides through
-- NULLIF; only RECEIVABLE invoices count as revenue (PAYABLE ones are what we
-- owe partners); DRAFT and CANCELLED invoices are not revenue; "unpaid" covers
-- every issued state not yet PAID (ISSUED, UNPAID, PARTIALLY_PAID, OVERDUE);
-- no ORDER BY inside the view (a refresh would sort for nothing).
-- Refreshed by report_context.refresh_stats() (sql/functions/report_context/).

CREATE MATERIALIZED VIEW report_context.integrated_dashboard_stats AS
SELECT
    1::smallint AS stats_key,
    (
        SELECT count(*) FROM project_context.projects
        WHERE status = 'ACTIVE' AND deleted_at IS NULL
    ) AS active_projects,
    (
        SELECT count(*) FROM project_context.projects
        WHERE status = 'COMPLETED' AND deleted_at IS NULL
    ) AS completed_projects,
    (
        SELECT count(*) FROM engineer_context.engineers
        WHERE availability_status = 'AVAILABLE' AND deleted_at IS NULL
    ) AS available_engineers,
    (
        SELECT count(*) FROM engineer_context.engineers
        WHERE deleted_at IS NULL
    ) AS total_engineers,
    (
        SELECT count(*) FROM contract_context.contracts
        WHERE status = 'ACTIVE' AND contract_side = 'CUSTOMER' AND deleted_at IS NULL
    ) AS active_contracts,
    (
        SELECT coalesce(sum(total_amount), 0) FROM billing_context.invoices
        WHERE status = 'PAID' AND direction = 'RECEIVABLE' AND deleted_at IS NULL
    ) AS total_revenue,
    (
        SELECT count(*) FROM billing_context.invoices
        WHERE status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE')
            AND direction = 'RECEIVABLE' AND deleted_at IS NULL
    ) AS unpaid_invoices,
    (
        SELECT coalesce(sum(total_amount - paid_amount), 0) FROM billing_context.invoices
        WHERE status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE')
            AND direction = 'RECEIVABLE' AND deleted_at IS NULL
    ) AS unpaid_amount,
    current_timestamp AS last_updated;

CREATE UNIQUE INDEX integrated_dashboard_stats_stats_key
ON report_context.integrated_dashboard_stats (stats_key);

COMMENT ON MATERIALIZED VIEW report_context.integrated_dashboard_stats IS
'One-row snapshot of the headline figures of every context for the integrated dashboard, as of last_updated. Refresh with report_context.refresh_stats() (concurrently: readers are not blocked).';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.stats_key IS 'Always 1: the key of the single row (the unique index REFRESH … CONCURRENTLY needs).';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.active_projects IS 'Live projects with status ACTIVE.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.completed_projects IS 'Live projects with status COMPLETED.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.available_engineers IS 'Live engineers with availability_status AVAILABLE.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.total_engineers IS 'Live engineers.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.active_contracts IS 'Live ACTIVE customer-side contracts, i.e. current placements (partner-side contracts are their mirror and not counted twice).';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.total_revenue IS 'Sum of total_amount (tax included, yen) of live PAID RECEIVABLE invoices.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.unpaid_invoices IS 'Live RECEIVABLE invoices issued but not paid: ISSUED, UNPAID, PARTIALLY_PAID or OVERDUE.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.unpaid_amount IS 'Outstanding yen of those invoices: sum of total_amount - paid_amount.';
COMMENT ON COLUMN report_context.integrated_dashboard_stats.last_updated IS 'When the snapshot was taken (the refreshing transaction''s start).';

CREATE MATERIALIZED VIEW report_context.monthly_revenue_stats AS
SELECT
    b.invoice_year,
    b.invoice_month,
    count(*) AS invoice_count,
    sum(b.subtotal_amount) AS subtotal_amount,
    sum(b.total_amount) AS total_amount,
    coalesce(sum(b.total_amount) FILTER (WHERE b.status = 'PAID'), 0) AS paid_amount,
    count(*) FILTER (WHERE b.status = 'PAID') AS paid_count,
    round(100.0 * count(*) FILTER (WHERE b.status = 'PAID') / nullif(count(*), 0), 2) AS payment_rate
FROM billing_context.invoices AS b
WHERE b.deleted_at IS NULL
    AND b.direction = 'RECEIVABLE'
    AND b.status NOT IN ('DRAFT', 'CANCELLED')
GROUP BY b.invoice_year, b.invoice_month;

CREATE UNIQUE INDEX monthly_revenue_stats_year_month
ON report_context.monthly_revenue_stats (invoice_year, invoice_month);

COMMENT ON MATERIALIZED VIEW report_context.monthly_revenue_stats IS
'Revenue per invoice month: issued RECEIVABLE invoices (not DRAFT or CANCELLED), how much of it is paid, and the payment rate. Refresh with report_context.refresh_stats().';
COMMENT ON COLUMN report_context.monthly_revenue_stats.invoice_year IS 'Invoice year (invoices.invoice_year).';
COMMENT ON COLUMN report_context.monthly_revenue_stats.invoice_month IS 'Invoice month 1-12 (invoices.invoice_month).';
COMMENT ON COLUMN report_context.monthly_revenue_stats.invoice_count IS 'Issued RECEIVABLE invoices of the month.';
COMMENT ON COLUMN report_context.monthly_revenue_stats.subtotal_amount IS 'Sum of subtotal_amount (revenue before tax, yen).';
COMMENT ON COLUMN report_context.monthly_revenue_stats.total_amount IS 'Sum of total_amount (tax included, yen).';
COMMENT ON COLUMN report_context.monthly_revenue_stats.paid_amount IS 'Sum of total_amount of the PAID invoices.';
COMMENT ON COLUMN report_context.monthly_revenue_stats.paid_count IS 'PAID invoices of the month.';
COMMENT ON COLUMN report_context.monthly_revenue_stats.payment_rate IS 'paid_count / invoice_count in percent, 2 decimals (NULL never occurs for a listed month, the NULLIF guards the division).';

GRANT SELECT ON report_context.integrated_dashboard_stats, report_context.monthly_revenue_stats
TO bbase_operator, bbase_readonly;
