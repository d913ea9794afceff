-- Roll back the report statistics views (derived data only; nothing is lost).
DROP MATERIALIZED VIEW report_context.monthly_revenue_stats;
DROP MATERIALIZED VIEW report_context.integrated_dashboard_stats;
