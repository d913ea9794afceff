-- requires: sql/functions/bbase/raise_invalid.sql, sql/functions/ses_common/create_partitions.sql
-- Why: the maintenance entry point for partitions. Run it at least monthly
-- (cron, pg_cron, the scheduled glue job); `bbase migrate` also runs it. For
-- every partitioned SES table installed in this database it makes sure the
-- partitions exist from the period before the reference date (late entries,
-- e.g. last month's timesheets submitted on the 1st) to periods_ahead periods
-- after it. The reference date defaults to today in Asia/Tokyo, the business's
-- calendar, whatever the session time zone.
-- SECURITY DEFINER like create_partitions, so that the scheduled job
-- (bbase_sync) and operators can run it without owning the tables.
CREATE OR REPLACE FUNCTION ses_common.create_partitions_ahead(
    p_reference_date date DEFAULT (pg_catalog.timezone('Asia/Tokyo', pg_catalog.now()))::date
) RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_plan record;
    v_step interval;
BEGIN
    IF p_reference_date IS NULL THEN
        PERFORM bbase.raise_invalid('SE005', 'p_reference_date', p_reference_date::text, 'must be a date');
    END IF;
    FOR v_plan IN
        SELECT pg_catalog.to_regclass(pg_catalog.format('%I.%I', pt.table_schema, pt.table_name)) AS rel,
               pt.key_kind, pt.periods_ahead
        FROM ses_common.partitioned_tables AS pt
        WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', pt.table_schema, pt.table_name)) IS NOT NULL
        ORDER BY pt.table_schema, pt.table_name
    LOOP
        v_step := CASE WHEN v_plan.key_kind = 'YEAR' THEN interval '1 year' ELSE interval '1 month' END;
        RETURN QUERY
        SELECT ses_common.create_partitions(
            v_plan.rel,
            (p_reference_date - v_step)::date,
            (p_reference_date + v_step * v_plan.periods_ahead)::date
        );
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.create_partitions_ahead(date) IS
'Maintenance: for every partitioned SES table in this database, create the missing partitions from the period before p_reference_date (default: today in Asia/Tokyo) to its periods_ahead periods after it (ses_common.partitioned_tables). Idempotent; returns the partitions created.';

GRANT EXECUTE ON FUNCTION ses_common.create_partitions_ahead(date) TO bbase_operator, bbase_sync, ses_admin_role;
