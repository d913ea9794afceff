-- requires: sql/functions/zengin/run_maintenance.sql
-- requires: sql/functions/ses_common/create_partitions_ahead.sql, sql/functions/report_context/refresh_stats.sql
-- requires: sql/functions/ses_common/refresh_bank_holidays.sql
-- requires: sql/functions/billing_context/mark_overdue_invoices.sql
-- requires: sql/functions/ses_common/consume_events.sql
-- Why: one entry point for the daily scheduled maintenance of whatever this
-- database holds. Which areas are installed is decided here, from the
-- catalog (an area is installed when its maintenance function exists: a
-- database may hold Zengin alone, some SES contexts alone, or everything), so
-- `bbase maintain` keeps no list of tasks. Each task is its area's own
-- function; this only calls the installed ones, in one transaction, and
-- reports each under one key. SECURITY DEFINER so the scheduled job and
-- operators need EXECUTE on this function only.
CREATE OR REPLACE FUNCTION bbase.run_maintenance()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_result jsonb := '{}'::jsonb;
    v_task jsonb;
BEGIN
    IF pg_catalog.to_regprocedure('zengin.run_maintenance(integer, interval)') IS NOT NULL THEN
        v_result := v_result || pg_catalog.jsonb_build_object('zengin', zengin.run_maintenance());
    END IF;

    IF pg_catalog.to_regprocedure('ses_common.create_partitions_ahead(date)') IS NOT NULL THEN
        SELECT pg_catalog.jsonb_build_object('partitionsCreated',
            coalesce(pg_catalog.jsonb_agg(p.name), '[]'::jsonb))
        INTO v_task
        FROM ses_common.create_partitions_ahead() AS p (name);
        -- The bank calendar (migration 0185): this year and the next two.
        IF pg_catalog.to_regclass('ses_common.bank_calendar_years') IS NOT NULL THEN
            v_task := v_task || pg_catalog.jsonb_build_object('bankHolidaysWritten',
                ses_common.refresh_bank_holidays(
                    pg_catalog.date_part('year', pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::integer,
                    pg_catalog.date_part('year', pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::integer + 2));
        END IF;
        v_result := v_result || pg_catalog.jsonb_build_object('ses_common', v_task);
    END IF;

    -- Event consumers: one bounded batch each, so the maintenance transaction
    -- stays short and holds few locks; bbase ses events --until-empty drains
    -- a backlog in transactions of its own.
    IF pg_catalog.to_regprocedure('ses_common.consume_events(text, integer)') IS NOT NULL THEN
        SELECT pg_catalog.jsonb_object_agg(r.consumer, pg_catalog.jsonb_build_object(
                   'claimed', r.claimed, 'done', r.done, 'retrying', r.retrying, 'dead', r.dead))
        INTO v_task
        FROM ses_common.event_consumers AS c
        CROSS JOIN LATERAL ses_common.consume_events(c.consumer, 200) AS r
        WHERE c.is_active;
        v_result := v_result || pg_catalog.jsonb_build_object('ses_events', coalesce(v_task, '{}'::jsonb));
    END IF;

    IF pg_catalog.to_regprocedure('report_context.refresh_stats()') IS NOT NULL THEN
        SELECT pg_catalog.jsonb_build_object('viewsRefreshed', coalesce(pg_catalog.jsonb_agg(
            pg_catalog.jsonb_build_object('view', r.view_name, 'seconds', r.seconds)), '[]'::jsonb))
        INTO v_task
        FROM report_context.refresh_stats() AS r;
        v_result := v_result || pg_catalog.jsonb_build_object('report_context', v_task);
    END IF;

    IF pg_catalog.to_regprocedure('billing_context.mark_overdue_invoices(date)') IS NOT NULL THEN
        v_result := v_result || pg_catalog.jsonb_build_object('billing_context',
            pg_catalog.jsonb_build_object('invoicesOverdue', billing_context.mark_overdue_invoices()));
    END IF;

    RETURN v_result;
END
$$;

COMMENT ON FUNCTION bbase.run_maintenance() IS
'Daily maintenance of every installed area, in one transaction; returns one key per task that ran: zengin = zengin.run_maintenance() {partitionsCreated, partitionsDropped, diffsExpired} (change_history partitions 3 months ahead, one-year retention, stale diffs expired); ses_common = {partitionsCreated, bankHolidaysWritten} (ses_common.create_partitions_ahead(); ses_common.refresh_bank_holidays for this year and the next two, where the calendar is installed); ses_events = {<consumer>: {claimed, done, retrying, dead}} (ses_common.consume_events(consumer, 200) for each active consumer); report_context = {viewsRefreshed: [{view, seconds}]} (report_context.refresh_stats()); billing_context = {invoicesOverdue} (billing_context.mark_overdue_invoices()). An area is installed when its function exists; an empty object means none is. Run by bbase maintain.';

-- Operators (and the scheduler's operator login) run it; the sync job keeps
-- its own maintain step, zengin_sync.run_maintenance(), and nothing more.
REVOKE EXECUTE ON FUNCTION bbase.run_maintenance() FROM PUBLIC, bbase_sync;
GRANT EXECUTE ON FUNCTION bbase.run_maintenance() TO bbase_operator;
