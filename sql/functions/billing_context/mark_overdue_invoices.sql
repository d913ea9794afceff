-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: an invoice still open after its due date is OVERDUE (ses-domain-rules.md
-- section 2; late interest 14.6 %/year runs from then), for dunning a
-- customer or for noticing that we are late paying a partner. Run daily by
-- bbase.run_maintenance; idempotent (an OVERDUE invoice is not touched
-- again). SECURITY DEFINER so the maintenance job sees every customer's
-- invoices (forced row-level security); granted to finance and admin.
CREATE OR REPLACE FUNCTION billing_context.mark_overdue_invoices(p_as_of date DEFAULT CURRENT_DATE)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    IF p_as_of IS NULL THEN
        PERFORM bbase.raise_invalid('SE005', 'p_as_of', p_as_of::text, 'the date the invoices are judged on');
    END IF;
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    UPDATE billing_context.invoices AS i
    SET status = 'OVERDUE'
    WHERE i.status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID') AND i.due_date < p_as_of AND i.deleted_at IS NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION billing_context.mark_overdue_invoices(date) IS
'Mark OVERDUE every ISSUED, UNPAID or PARTIALLY_PAID invoice (either direction) whose due date is before p_as_of (default today); returns how many changed. Run by bbase.run_maintenance.';

REVOKE ALL ON FUNCTION billing_context.mark_overdue_invoices(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.mark_overdue_invoices(date) TO ses_finance_role, ses_admin_role;
