-- Refresh the report statistics materialized views without blocking readers.
-- Why SECURITY DEFINER: only a materialized view's owner may refresh it, and
-- operators (and the scheduled job) must be able to refresh without owning it.
-- Why the ispopulated check: REFRESH … CONCURRENTLY refuses a view that was
-- never populated (e.g. restored WITH NO DATA); the first refresh is a plain one.
CREATE OR REPLACE FUNCTION report_context.refresh_stats()
RETURNS TABLE (view_name text, seconds numeric)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_view regclass;
    v_started timestamptz;
    v_populated boolean;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    FOREACH v_view IN ARRAY ARRAY[
        'report_context.integrated_dashboard_stats',
        'report_context.monthly_revenue_stats'
    ]::regclass[]
    LOOP
        v_started := clock_timestamp();
        SELECT c.relispopulated INTO v_populated FROM pg_catalog.pg_class AS c WHERE c.oid = v_view;
        IF v_populated THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', v_view);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW %s', v_view);
        END IF;
        view_name := v_view::text;
        seconds := round(extract(EPOCH FROM clock_timestamp() - v_started)::numeric, 3);
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION report_context.refresh_stats() IS
'Refresh report_context.integrated_dashboard_stats and monthly_revenue_stats CONCURRENTLY (readers keep reading the old rows until it commits; a never-populated view gets a plain first refresh). Returns one row per view with the seconds it took. Schedule it (e.g. every 5 minutes) or run bbase ses refresh.';

REVOKE EXECUTE ON FUNCTION report_context.refresh_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_context.refresh_stats() TO bbase_operator, bbase_sync;
