-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: change history is kept one year (design document); dropping whole
-- monthly partitions is instant and leaves no bloat, unlike DELETE.
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
BEGIN
    IF p_keep IS NULL OR p_keep < interval '1 month' THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_keep', p_keep::text, 'must be at least 1 month');
    END IF;
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
        IF v_part.upper_bound <= p_now - p_keep THEN
            EXECUTE pg_catalog.format('DROP TABLE %I.%I', 'zengin', v_part.relname);
            RETURN NEXT v_part.relname::text;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION zengin.enforce_change_history_retention(interval, timestamptz) IS
'Drop the change_history partitions whose every row is older than p_keep (default one year) at p_now: those whose upper bound is at or before p_now - p_keep. Returns the names dropped; run by maintenance.';

GRANT EXECUTE ON FUNCTION zengin.enforce_change_history_retention(interval, timestamptz) TO bbase_operator;
