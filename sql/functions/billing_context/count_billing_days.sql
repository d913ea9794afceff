-- Why: proration (日割り) counts the days a contract was active in the month
-- against the days of the month, as weekdays or calendar days (the contract's
-- proration_basis). Weekdays are Monday to Friday; no holiday calendar is
-- kept in this database (an assumption stated in docs/ses.md).
CREATE OR REPLACE FUNCTION billing_context.count_billing_days(p_from date, p_to date, p_basis text)
RETURNS integer
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_days integer;
BEGIN
    SELECT pg_catalog.count(*)::integer INTO v_days
    FROM pg_catalog.generate_series(p_from, p_to, interval '1 day') AS d (day)
    WHERE p_basis = 'CALENDAR_DAYS' OR pg_catalog.date_part('isodow', d.day) < 6;
    RETURN v_days;
END
$$;

COMMENT ON FUNCTION billing_context.count_billing_days(date, date, text) IS
'Days from p_from to p_to inclusive: every day for CALENDAR_DAYS, Monday to Friday for WEEKDAYS (no holiday calendar). 0 when p_to < p_from.';

REVOKE ALL ON FUNCTION billing_context.count_billing_days(date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.count_billing_days(date, date, text) TO ses_admin_role, ses_finance_role;
