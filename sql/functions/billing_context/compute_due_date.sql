-- Why: the due date comes from the contract's payment terms (支払サイト, e.g.
-- 月末締め翌月末払い: offset 1 month, day 31 = the last day) and, for a
-- protected partner (取適法, フリーランス法), may not be later than 60 days
-- after the service, the first day counted: service end + 59
-- (ses-domain-rules.md section 2; the month-end cutoff is taken as the
-- service date). A later contractual date is pulled in to day 60, which the
-- law deems anyway. Never before the service end (the issue date).
CREATE OR REPLACE FUNCTION billing_context.compute_due_date(
    p_service_end date,
    p_payment_month_offset integer,
    p_payment_day integer,
    p_is_protected boolean
) RETURNS date
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_month date := (pg_catalog.date_trunc('month', p_service_end)
                     + pg_catalog.make_interval(months => p_payment_month_offset))::date;
    v_last_day integer := pg_catalog.date_part('day', (v_month + interval '1 month - 1 day'))::integer;
    v_due date;
BEGIN
    v_due := v_month + (LEAST(p_payment_day, v_last_day) - 1);
    IF p_is_protected THEN
        v_due := LEAST(v_due, p_service_end + 59);
    END IF;
    RETURN GREATEST(v_due, p_service_end);
END
$$;

COMMENT ON FUNCTION billing_context.compute_due_date(date, integer, integer, boolean) IS
'Due date of an invoice for a service ending on p_service_end: day p_payment_day (capped at the month''s last day) of the month p_payment_month_offset months later; for a protected partner at most p_service_end + 59 (60 days counting the first); never before p_service_end.';

REVOKE ALL ON FUNCTION billing_context.compute_due_date(date, integer, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.compute_due_date(date, integer, integer, boolean)
TO ses_admin_role, ses_finance_role;
