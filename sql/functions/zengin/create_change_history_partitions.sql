-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: change_history is partitioned by month and a row with no partition
-- would fail the change it records, so maintenance creates months ahead.
CREATE OR REPLACE FUNCTION zengin.create_change_history_partitions(
    p_months_ahead integer DEFAULT 3,
    p_from date DEFAULT NULL
)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_month date;
    v_last date;
    v_name text;
BEGIN
    IF p_months_ahead IS NULL OR p_months_ahead < 0 OR p_months_ahead > 120 THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_months_ahead', p_months_ahead::text, 'must be 0..120');
    END IF;
    v_last := (pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC')
        + pg_catalog.make_interval(months => p_months_ahead))::date;
    v_month := pg_catalog.date_trunc('month',
        coalesce(p_from, (pg_catalog.now() AT TIME ZONE 'UTC')::date))::date;
    WHILE v_month <= v_last LOOP
        v_name := 'change_history_' || pg_catalog.to_char(v_month, 'YYYYMM');
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', 'zengin', v_name)) IS NULL THEN
            EXECUTE pg_catalog.format(
                'CREATE TABLE %I.%I PARTITION OF zengin.change_history FOR VALUES FROM (%L) TO (%L)',
                'zengin', v_name,
                pg_catalog.to_char(v_month, 'YYYY-MM-DD') || ' 00:00:00+00',
                pg_catalog.to_char(v_month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            RETURN NEXT v_name;
        END IF;
        v_month := (v_month + interval '1 month')::date;
    END LOOP;
END
$$;

COMMENT ON FUNCTION zengin.create_change_history_partitions(integer, date) IS
'Create the missing monthly partitions zengin.change_history_YYYYMM (UTC months) from p_from (default: this month) through p_months_ahead months ahead; returns the names created. Idempotent; run by maintenance.';

GRANT EXECUTE ON FUNCTION zengin.create_change_history_partitions(integer, date) TO bbase_operator;
