-- Why: "is this a day the banks transfer money" is one rule, asked by the
-- transfer file builder and by people choosing a payment date: a weekday not
-- in ses_common.bank_holidays. A date in a year the calendar does not cover
-- raises SE149 instead of answering true: an empty calendar must not make
-- every weekday a business day.
CREATE OR REPLACE FUNCTION ses_common.is_bank_business_day(p_date date)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
BEGIN
    IF p_date IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (
        SELECT FROM ses_common.bank_calendar_years AS y
        WHERE y.calendar_year = pg_catalog.date_part('year', p_date)::integer
    ) THEN
        RAISE EXCEPTION 'the bank calendar does not cover %: its holidays are not known', p_date
            USING ERRCODE = 'SE149',
                  DETAIL = pg_catalog.format('field=date value=%s', p_date),
                  HINT = pg_catalog.format('Run SELECT ses_common.refresh_bank_holidays(%s, %s);',
                                           pg_catalog.date_part('year', p_date), pg_catalog.date_part('year', p_date));
    END IF;
    RETURN pg_catalog.date_part('isodow', p_date) < 6
        AND NOT EXISTS (SELECT FROM ses_common.bank_holidays AS h WHERE h.holiday_date = p_date);
END
$$;

COMMENT ON FUNCTION ses_common.is_bank_business_day(date) IS
'True when banks transfer money on p_date: Monday-Friday and not in ses_common.bank_holidays. SE149 when the calendar does not cover the year (ses_common.refresh_bank_holidays). NULL for NULL.';

REVOKE ALL ON FUNCTION ses_common.is_bank_business_day(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.is_bank_business_day(date)
TO ses_admin_role, ses_project_manager_role, ses_finance_role, bbase_operator;
