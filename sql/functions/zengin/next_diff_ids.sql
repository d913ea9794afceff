-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: diff ids are diff-YYYYMMDD-NNN with a sequence per UTC day; a counter
-- row per day hands out numbers without gaps and without races. The format's
-- rule is zengin.is_diff_id (migration 0176; the CHECK diffs_id_format and the
-- sync's record validation call it); the ids made here satisfy it.
CREATE OR REPLACE FUNCTION zengin.next_diff_ids(p_count integer)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_day date := (pg_catalog.now() AT TIME ZONE 'UTC')::date;
    v_last integer;
BEGIN
    IF p_count IS NULL OR p_count < 1 THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_count', p_count::text, 'must be at least 1');
    END IF;
    INSERT INTO zengin.diff_day_counters AS c (day, last_no)
    VALUES (v_day, p_count)
    ON CONFLICT (day) DO UPDATE SET last_no = c.last_no + excluded.last_no
    RETURNING c.last_no INTO v_last;
    RETURN QUERY
    SELECT 'diff-' || pg_catalog.to_char(v_day, 'YYYYMMDD') || '-'
        || pg_catalog.lpad(n::text, greatest(3, pg_catalog.length(n::text)), '0')
    FROM pg_catalog.generate_series(v_last - p_count + 1, v_last) AS n
    ORDER BY n;
END
$$;

COMMENT ON FUNCTION zengin.next_diff_ids(integer) IS
'Reserve p_count consecutive diff ids for today (UTC): diff-YYYYMMDD-NNN, NNN at least 3 digits (the rule zengin.is_diff_id checks), in order.';

GRANT EXECUTE ON FUNCTION zengin.next_diff_ids(integer) TO bbase_operator;
