-- Why: the design document asks for 100 % data consistency, and an SES
-- database has three places where money or hours can silently disagree: a
-- journal entry whose debits differ from its credits, a submitted timesheet
-- whose totals no longer match its days, and a month billed twice for the
-- same contract. The database prevents each one (deferred balance triggers,
-- totals recomputed on submission and frozen after it, a unique index), so
-- this is the independent check that the prevention held: after a load test,
-- a restore, a migration or a manual repair under maintenance. One place for
-- the three rules, so the bench (bbase bench load) and a DBA ask the same
-- question. It reads every row whoever calls it: SECURITY DEFINER with the
-- owner's maintenance policy on for the caller's transaction (forced
-- row-level security), and it returns counts and one example id, no
-- business data.
CREATE OR REPLACE FUNCTION ses_monitoring.check_consistency()
RETURNS TABLE (check_name text, violations bigint, example text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);

    RETURN QUERY
    SELECT 'unbalanced journal entries'::text, pg_catalog.count(*), pg_catalog.min(b.id::text)
    FROM (
        SELECT e.id
        FROM billing_context.accounting_entries AS e
        LEFT JOIN billing_context.accounting_entry_lines AS l
            ON l.accounting_entry_id = e.id AND l.deleted_at IS NULL
        WHERE e.status IN ('POSTED', 'REVERSED') AND e.deleted_at IS NULL
        GROUP BY e.id
        HAVING coalesce(pg_catalog.sum(l.amount) FILTER (WHERE l.side = 'DEBIT'), 0)
            <> coalesce(pg_catalog.sum(l.amount) FILTER (WHERE l.side = 'CREDIT'), 0)
            OR coalesce(pg_catalog.sum(l.amount) FILTER (WHERE l.side = 'DEBIT'), 0) = 0
    ) AS b;

    RETURN QUERY
    SELECT 'timesheet totals not matching their days'::text, pg_catalog.count(*), pg_catalog.min(x.id::text)
    FROM (
        SELECT t.id
        FROM timesheet_context.timesheets AS t
        LEFT JOIN timesheet_context.daily_attendances AS d
            ON d.timesheet_id = t.id AND d.period_year = t.period_year
            AND d.period_month = t.period_month AND d.deleted_at IS NULL
        WHERE t.status <> 'DRAFT' AND t.deleted_at IS NULL
        GROUP BY t.id, t.total_work_minutes, t.working_days
        HAVING t.total_work_minutes IS DISTINCT FROM coalesce(pg_catalog.sum(d.work_minutes), 0)
            OR t.working_days IS DISTINCT FROM pg_catalog.count(d.id) FILTER (WHERE d.work_minutes > 0)
    ) AS x;

    RETURN QUERY
    SELECT 'contract months invoiced twice'::text, pg_catalog.count(*), pg_catalog.min(x.contract_id::text)
    FROM (
        SELECT i.contract_id
        FROM billing_context.invoices AS i
        WHERE i.deleted_at IS NULL AND i.status <> 'CANCELLED' AND i.contract_id IS NOT NULL
        GROUP BY i.direction, i.contract_id, i.invoice_year, i.invoice_month
        HAVING pg_catalog.count(*) > 1
    ) AS x;

    RETURN QUERY
    SELECT 'timesheets billed on two invoices'::text, pg_catalog.count(*), pg_catalog.min(x.timesheet_id::text)
    FROM (
        SELECT b.timesheet_id
        FROM billing_context.invoice_billing_items AS b
        INNER JOIN billing_context.invoices AS i
            ON i.id = b.invoice_id AND i.invoice_year = b.invoice_year
        WHERE b.timesheet_id IS NOT NULL AND b.deleted_at IS NULL
            AND i.deleted_at IS NULL AND i.status <> 'CANCELLED'
        GROUP BY i.direction, b.contract_id, b.timesheet_id
        HAVING pg_catalog.count(DISTINCT i.id) > 1
    ) AS x;
END
$$;

COMMENT ON FUNCTION ses_monitoring.check_consistency() IS
'Consistency of the SES money and hours, one row per check (check_name, violations, example id): unbalanced journal entries (POSTED/REVERSED, live lines: debits <> credits or none), timesheet totals not matching their days (past DRAFT: total_work_minutes and working_days against the live daily attendance), contract months invoiced twice (direction, contract, year, month among live non-cancelled invoices), timesheets billed on two invoices (same direction and contract). Every violations value 0 means consistent. Reads every row (SECURITY DEFINER); run it after a load test, a restore or a repair: SELECT * FROM ses_monitoring.check_consistency();';

REVOKE ALL ON FUNCTION ses_monitoring.check_consistency() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_monitoring.check_consistency() TO bbase_operator;
