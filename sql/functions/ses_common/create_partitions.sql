-- requires: sql/functions/bbase/raise_invalid.sql
-- requires: sql/functions/ses_common/apply_maintenance_policies.sql
-- Why: partitions of the partitioned SES tables are created by maintenance,
-- never by hand, with one naming and bounds scheme read from
-- ses_common.partitioned_tables:
--   YEAR_MONTH       <table>_YYYY_MM  FOR VALUES FROM (y, m) TO (y', m')
--   YEAR             <table>_YYYY     FOR VALUES FROM (y) TO (y + 1)
--   TIMESTAMP_MONTH  <table>_YYYY_MM  month bounds at midnight Asia/Tokyo
-- Covers every period from the one containing p_from to the one containing
-- p_to; existing partitions are skipped, so it is idempotent. Used directly to
-- prepare history (loading five years of timesheets) and by
-- create_partitions_ahead for the coming periods.
-- An advisory lock serialises concurrent maintenance runs. Creating a
-- partition takes an ACCESS EXCLUSIVE lock on the parent for a moment (and
-- checks the default partition, which the reject_row trigger keeps empty).
-- SECURITY DEFINER: creating a partition needs ownership of the parent; the
-- maintenance roles (bbase_operator, bbase_sync, ses_admin_role) are not owners,
-- and the function only creates partitions of the registered tables.
-- Each new partition gets row-level security enabled and forced and the
-- owner's maintenance policy (ses_common.apply_maintenance_policies), like
-- every SES table: it has no grant, and no role reads it directly; queries
-- through the parent use the parent's policies.
CREATE OR REPLACE FUNCTION ses_common.create_partitions(p_table regclass, p_from date, p_to date)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_schema text;
    v_table text;
    v_kind text;
    v_step interval;
    v_period date;
    v_next date;
    v_name text;
    v_bounds text;
BEGIN
    SELECT pt.table_schema, pt.table_name, pt.key_kind INTO v_schema, v_table, v_kind
    FROM ses_common.partitioned_tables AS pt
    WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', pt.table_schema, pt.table_name)) = p_table;
    IF NOT FOUND THEN
        PERFORM bbase.raise_invalid('SE005', 'p_table', p_table::text,
                                    'must be a partitioned SES table listed in ses_common.partitioned_tables');
    END IF;
    IF p_from IS NULL OR p_to IS NULL OR p_from > p_to THEN
        PERFORM bbase.raise_invalid('SE005', 'p_to', p_to::text,
                                    pg_catalog.format('must be a date on or after p_from (%s)', p_from));
    END IF;
    IF p_to > p_from + interval '100 years' THEN
        PERFORM bbase.raise_invalid('SE005', 'p_to', p_to::text, 'must be at most 100 years after p_from');
    END IF;

    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('ses_common.create_partitions'));

    v_step := CASE WHEN v_kind = 'YEAR' THEN interval '1 year' ELSE interval '1 month' END;
    v_period := date_trunc(CASE WHEN v_kind = 'YEAR' THEN 'year' ELSE 'month' END, p_from)::date;
    WHILE v_period <= p_to LOOP
        v_next := (v_period + v_step)::date;
        v_name := v_table || '_' || to_char(v_period, CASE WHEN v_kind = 'YEAR' THEN 'YYYY' ELSE 'YYYY_MM' END);
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', v_schema, v_name)) IS NULL THEN
            v_bounds := CASE v_kind
                WHEN 'YEAR_MONTH' THEN pg_catalog.format(
                    'FROM (%s, %s) TO (%s, %s)',
                    extract(YEAR FROM v_period), extract(MONTH FROM v_period),
                    extract(YEAR FROM v_next), extract(MONTH FROM v_next))
                WHEN 'YEAR' THEN pg_catalog.format(
                    'FROM (%s) TO (%s)', extract(YEAR FROM v_period), extract(YEAR FROM v_next))
                ELSE pg_catalog.format(
                    'FROM (%L) TO (%L)',
                    pg_catalog.timezone('Asia/Tokyo', v_period::timestamp),
                    pg_catalog.timezone('Asia/Tokyo', v_next::timestamp))
            END;
            EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES %s',
                                      v_schema, v_name, v_schema, v_table, v_bounds);
            EXECUTE pg_catalog.format('COMMENT ON TABLE %I.%I IS %L', v_schema, v_name,
                                      pg_catalog.format('Partition of %s.%s for %s (created by ses_common.create_partitions).',
                                                        v_schema, v_table,
                                                        to_char(v_period, CASE WHEN v_kind = 'YEAR' THEN 'YYYY' ELSE 'YYYY-MM' END)));
            PERFORM ses_common.apply_maintenance_policies(
                pg_catalog.format('%I.%I', v_schema, v_name)::regclass);
            RETURN NEXT v_schema || '.' || v_name;
        END IF;
        v_period := v_next;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.create_partitions(regclass, date, date) IS
'Create the missing partitions of a partitioned SES table for every period (month or year, by its plan in ses_common.partitioned_tables) from the one containing p_from to the one containing p_to. Idempotent; returns the partitions created. Raises SE005 for an unknown table or a bad range.';

GRANT EXECUTE ON FUNCTION ses_common.create_partitions(regclass, date, date) TO bbase_operator, ses_admin_role;
