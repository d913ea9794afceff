-- requires: sql/functions/billing_context/issue_month_invoices.sql, sql/functions/bbase/raise_invalid.sql
-- Why: the monthly close (月次締め) turns every internally APPROVED timesheet
-- of a month into money: for the customer contract a RECEIVABLE invoice we
-- issue, for each partner contract under it (same engineer) the PAYABLE the
-- partner bills us, each settled on its own terms (the two sides carry their
-- own method, bounds, rates and payment terms), then the timesheet is CLOSED
-- (locked, invoiced). One transaction: all of the month or none of it.
-- Set-based: the month's timesheets are locked in one statement,
-- issue_month_invoices writes every invoice, line, tax summary, journal
-- entry and event of the month in a few statements, and one UPDATE closes
-- the timesheets (a loop per timesheet made 1,000 engineers take 25-60 s).
-- Safe to call twice: a CLOSED timesheet is not picked up again and an
-- invoice that exists for the contract and month is not created again (unique
-- index invoices_contract_month_key, migration 0191), so a second close
-- creates nothing and says so; two closes of one month wait for each other
-- (advisory lock).
-- SECURITY DEFINER because the close reads every customer's contracts and
-- timesheets and writes invoices, journals and events (which no role may
-- emit); it is granted to finance and admin only, and it turns on the
-- owner's maintenance policy (forced row-level security) for this
-- transaction. Our issuer name and registration number (T + 13 digits) are
-- arguments: the database keeps no company profile.
CREATE OR REPLACE FUNCTION billing_context.close_month(
    p_year integer,
    p_month integer,
    p_issuer_name text,
    p_issuer_registration_no text
) RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_timesheet_ids uuid [];
    v_timesheets integer := 0;
    v_receivables integer := 0;
    v_payables integer := 0;
BEGIN
    IF p_year IS NULL OR p_year NOT BETWEEN 2000 AND 2199 THEN
        PERFORM bbase.raise_invalid('SE181', 'p_year', p_year::text, 'a year from 2000 to 2199');
    END IF;
    IF p_month IS NULL OR p_month NOT BETWEEN 1 AND 12 THEN
        PERFORM bbase.raise_invalid('SE181', 'p_month', p_month::text, 'a month from 1 to 12');
    END IF;
    IF pg_catalog.make_date(p_year, p_month, 1) + interval '1 month' > CURRENT_DATE THEN
        PERFORM bbase.raise_invalid('SE181', 'p_month', pg_catalog.format('%s-%s', p_year, p_month),
            'only a month that has ended can be closed');
    END IF;
    IF p_issuer_name IS NULL OR pg_catalog.btrim(p_issuer_name) = '' THEN
        PERFORM bbase.raise_invalid('SE181', 'p_issuer_name', p_issuer_name, 'our company name, required item 1');
    END IF;
    IF p_issuer_registration_no IS NULL OR p_issuer_registration_no !~ '^T[0-9]{13}$' THEN
        PERFORM bbase.raise_invalid('SE181', 'p_issuer_registration_no', p_issuer_registration_no,
            'our qualified-invoice registration number, T + 13 digits');
    END IF;

    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('billing_context.close_month'),
                                             p_year * 100 + p_month);

    SELECT pg_catalog.array_agg(l.id ORDER BY l.id) INTO v_timesheet_ids
    FROM (
        SELECT t.id
        FROM timesheet_context.timesheets AS t
        WHERE t.period_year = p_year AND t.period_month = p_month
          AND t.status = 'APPROVED' AND t.deleted_at IS NULL
        ORDER BY t.id
        FOR UPDATE OF t
    ) AS l;
    IF v_timesheet_ids IS NOT NULL THEN
        SELECT i.receivables, i.payables INTO v_receivables, v_payables
        FROM billing_context.issue_month_invoices(p_year, p_month, v_timesheet_ids, p_issuer_name,
                                                  p_issuer_registration_no) AS i;
        UPDATE timesheet_context.timesheets AS t
        SET status = 'CLOSED', closed_at = pg_catalog.now()
        FROM pg_catalog.unnest(v_timesheet_ids) AS g (id)
        WHERE t.id = g.id AND t.period_year = p_year AND t.period_month = p_month;
        GET DIAGNOSTICS v_timesheets = ROW_COUNT;
    END IF;

    IF v_timesheets = 0 THEN
        RAISE NOTICE 'close_month %-%: no APPROVED timesheet left to close; nothing changed', p_year, p_month;
    END IF;
    RETURN pg_catalog.jsonb_build_object(
        'year', p_year, 'month', p_month, 'timesheetsClosed', v_timesheets,
        'receivablesIssued', v_receivables, 'payablesRecorded', v_payables);
END
$$;

COMMENT ON FUNCTION billing_context.close_month(integer, integer, text, text) IS
'Monthly close (finance): for every APPROVED timesheet of the month, settle the customer contract and issue its RECEIVABLE invoice, settle each partner contract under it for the same engineer and record its PAYABLE, post the journal entries, emit InvoiceIssued / PayableRecorded, and mark the timesheet CLOSED. Arguments: year, month (ended), our issuer name and registration number (T + 13 digits). Returns {year, month, timesheetsClosed, receivablesIssued, payablesRecorded}; a second call creates nothing (NOTICE). Bad arguments raise SE181, bad contract terms SE180. Example: SELECT billing_context.close_month(2026, 11, ''株式会社サンプル'', ''T1234567890123'');';

REVOKE ALL ON FUNCTION billing_context.close_month(integer, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.close_month(integer, integer, text, text) TO ses_finance_role, ses_admin_role;
