-- requires: sql/functions/ses_common/compute_japanese_holidays.sql
-- Why: the calendar table is what the transfer file and people read; it is
-- filled from the rules (ses_common.compute_japanese_holidays), one whole
-- year at a time, so a year is either covered completely or not at all
-- (ses_common.bank_calendar_years). Idempotent: computed rows of the years are
-- replaced, SPECIAL rows entered by hand are kept. Maintenance calls it for
-- this year and the next two (bbase.run_maintenance); call it by hand after
-- a change of the law (and fix the rules first).
CREATE OR REPLACE FUNCTION ses_common.refresh_bank_holidays(p_first_year integer, p_last_year integer)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_rows integer;
BEGIN
    IF p_first_year IS NULL OR p_last_year IS NULL OR p_last_year < p_first_year
       OR p_first_year < 2020 OR p_last_year > 2099 THEN
        RAISE EXCEPTION 'invalid years: % to % (2020-2099, first <= last)',
            coalesce(p_first_year::text, 'NULL'), coalesce(p_last_year::text, 'NULL')
            USING ERRCODE = 'SE149',
                  DETAIL = pg_catalog.format('field=years value=%s-%s', p_first_year, p_last_year),
                  HINT = 'The holiday rules are known for 2020-2099.';
    END IF;
    DELETE FROM ses_common.bank_holidays AS h
    WHERE h.kind <> 'SPECIAL'
      AND h.holiday_date >= pg_catalog.make_date(p_first_year, 1, 1)
      AND h.holiday_date < pg_catalog.make_date(p_last_year + 1, 1, 1);
    INSERT INTO ses_common.bank_holidays (holiday_date, name, kind)
    SELECT c.holiday_date, c.name, c.kind
    FROM pg_catalog.generate_series(p_first_year, p_last_year) AS y (year)
    CROSS JOIN LATERAL ses_common.compute_japanese_holidays(y.year) AS c
    ON CONFLICT (holiday_date) DO NOTHING;  -- a SPECIAL row already names the day
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    INSERT INTO ses_common.bank_calendar_years (calendar_year, refreshed_at)
    SELECT y, pg_catalog.now() FROM pg_catalog.generate_series(p_first_year, p_last_year) AS y
    ON CONFLICT (calendar_year) DO UPDATE SET refreshed_at = excluded.refreshed_at;
    RETURN v_rows;
END
$$;

COMMENT ON FUNCTION ses_common.refresh_bank_holidays(integer, integer) IS
'Recompute ses_common.bank_holidays for the years p_first_year..p_last_year (2020-2099, else SE149) from ses_common.compute_japanese_holidays, keeping SPECIAL rows, and mark the years covered in ses_common.bank_calendar_years. Idempotent; returns the rows written.';

REVOKE ALL ON FUNCTION ses_common.refresh_bank_holidays(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.refresh_bank_holidays(integer, integer) TO ses_admin_role, bbase_operator;
