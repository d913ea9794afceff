-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: change history is kept one year (design document); dropping whole
-- monthly partitions is instant and leaves no bloat, unlike DELETE. The
-- arguments exist for tests and for a DBA who wants to keep more, never less:
-- the cutoff p_now - p_keep may not be later than a year before the
-- transaction's own time, so no argument can drop a partition holding a row
-- younger than a year (a short p_keep, '360 days' that compares equal to
-- '1 year', a p_now in the future all are refused). A p_now in the past only
-- drops less.
CREATE OR REPLACE FUNCTION zengin.enforce_change_history_retention(
    p_keep interval DEFAULT interval '1 year',
    p_now timestamptz DEFAULT pg_catalog.now()
)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_part record;
    v_cutoff timestamptz;
BEGIN
    -- Separate tests, in this order: an enormous p_keep would overflow now() - p_keep.
    IF p_keep IS NULL OR p_keep > interval '100 years' THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_keep', p_keep::text,
            'must be at least 1 year (the retention rule) and at most 100 years');
    END IF;
    IF pg_catalog.now() - p_keep > pg_catalog.now() - interval '1 year' THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_keep', p_keep::text,
            'must be at least 1 year (the retention rule) and at most 100 years');
    END IF;
    IF p_now IS NULL OR p_now > pg_catalog.now() THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_now', p_now::text,
            'must not be NULL or later than now(), ' || pg_catalog.now()::text);
    END IF;
    BEGIN
        v_cutoff := p_now - p_keep;
    EXCEPTION WHEN datetime_field_overflow THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_now', p_now::text,
            'is too far in the past to subtract p_keep from');
    END;
    FOR v_part IN
        SELECT c.relname,
            pg_catalog.substring(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
        FROM pg_catalog.pg_inherits AS h
        JOIN pg_catalog.pg_class AS c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'zengin.change_history'::regclass
        ORDER BY 2
    LOOP
        -- Every row of the partition is older than the retention period.
        IF v_part.upper_bound <= v_cutoff THEN
            EXECUTE pg_catalog.format('DROP TABLE %I.%I', 'zengin', v_part.relname);
            RETURN NEXT v_part.relname::text;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION zengin.enforce_change_history_retention(interval, timestamptz) IS
'Drop the change_history partitions whose every row is older than p_keep (default and minimum one year, at most 100 years) at p_now (default and latest: now()): those whose upper bound is at or before p_now - p_keep. A shorter p_keep or a later p_now is refused (ZG017 naming the argument and the value), so no call can drop history younger than a year. Returns the names dropped; run by maintenance.';

GRANT EXECUTE ON FUNCTION zengin.enforce_change_history_retention(interval, timestamptz) TO bbase_operator;
