-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: change_history is partitioned by month and a row with no partition
-- would fail the change it records, so maintenance creates months ahead. The
-- range is bounded on both sides so no call can flood the catalog (every
-- partition costs locks in each statement touching change_history: 1,525 of
-- them made the next maintenance fail with "out of shared memory"): at most
-- 12 months ahead, and never from before the retention window (the month that
-- held now() - 1 year), whose partitions retention would drop again.
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
    v_this_month date := pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC')::date;
    v_first date := (v_this_month - interval '1 year')::date;
    v_month date;
    v_last date;
    v_name text;
BEGIN
    IF p_months_ahead IS NULL OR p_months_ahead < 0 OR p_months_ahead > 12 THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_months_ahead', p_months_ahead::text, 'must be 0..12');
    END IF;
    v_last := (v_this_month + pg_catalog.make_interval(months => p_months_ahead))::date;
    IF p_from < v_first OR p_from > v_last THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_from', p_from::text, pg_catalog.format(
            'must be from %s (the retention window) to %s (p_months_ahead months ahead)',
            v_first, v_last));
    END IF;
    v_month := pg_catalog.date_trunc('month', coalesce(p_from, v_this_month))::date;
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
'Create the missing monthly partitions zengin.change_history_YYYYMM (UTC months) from p_from (default: this month; earliest the month one year back, the retention window) through p_months_ahead (0..12, default 3) months ahead; returns the names created. An argument out of range is refused (ZG017 naming it and its value), so the partitions it makes span at most 25 months (a year back to a year ahead). Idempotent; run by maintenance.';

GRANT EXECUTE ON FUNCTION zengin.create_change_history_partitions(integer, date) TO bbase_operator;
