-- requires: sql/functions/billing_context/compute_settlement.sql, sql/functions/billing_context/count_billing_days.sql
-- requires: sql/functions/billing_context/summarize_invoice_tax.sql, sql/functions/billing_context/compute_due_date.sql
-- requires: sql/functions/billing_context/input_tax_credit_rate.sql, sql/functions/billing_context/post_journal_entry.sql
-- requires: sql/functions/ses_common/emit_event.sql, sql/functions/bbase/raise_invalid.sql
-- Why: one side of one contract for one month becomes one invoice: the
-- settlement (compute_settlement, prorated when the contract starts or ends
-- inside the month), its lines, the tax once per rate, the due date from the
-- payment terms within the 60-day rule, the six required items, the journal
-- entry and the event, all in the caller's transaction. RECEIVABLE: we bill
-- the customer (InvoiceIssued, 売掛金 / 売上高 + 仮受消費税). PAYABLE: the
-- partner bills us (PayableRecorded, 外注費 + 仮払消費税 / 買掛金; for an
-- unregistered partner only the transitional share of the tax is
-- creditable, the rest is cost). Returns NULL, changing nothing, when the
-- invoice exists already or the contract was not active in the month.
-- The lines name the timesheet in settlement_details, not in the
-- timesheet_id column: that column's cross-context check looks the id up in
-- every monthly partition (about 9 ms a row), which made the close of 1,000
-- engineers take over 30 s; the close has just read and locked the timesheet.
-- Internal to billing_context.close_month (no grant).
CREATE OR REPLACE FUNCTION billing_context.issue_month_invoice(
    p_direction text,
    p_contract_id uuid,
    p_timesheet_id uuid,
    p_year integer,
    p_month integer,
    p_hours numeric,
    p_our_name text,
    p_our_registration_no text
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    c record;
    s record;
    v_year smallint := p_year::smallint;
    v_month_start date := pg_catalog.make_date(p_year, p_month, 1);
    v_month_end date := (pg_catalog.make_date(p_year, p_month, 1) + interval '1 month - 1 day')::date;
    v_from date;
    v_to date;
    v_active integer;
    v_month_days integer;
    v_invoice_id uuid;
    v_inv record;
    v_input_tax numeric;
    v_lines jsonb;
BEGIN
    SELECT k.* INTO c FROM contract_context.contracts AS k WHERE k.id = p_contract_id AND k.deleted_at IS NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    v_from := GREATEST(c.start_date, v_month_start);
    v_to := LEAST(c.end_date, v_month_end);
    IF v_to < v_from THEN
        RETURN NULL;
    END IF;
    IF v_from > v_month_start OR v_to < v_month_end THEN
        v_active := billing_context.count_billing_days(v_from, v_to, c.proration_basis);
        v_month_days := billing_context.count_billing_days(v_month_start, v_month_end, c.proration_basis);
    END IF;

    IF p_direction = 'PAYABLE' AND c.contract_terms ->> 'invoice_registration_no' !~ '^T[0-9]{13}$' THEN
        PERFORM bbase.raise_invalid('SE180', 'contract_terms.invoice_registration_no',
            c.contract_terms ->> 'invoice_registration_no',
            pg_catalog.format('contract %s: T + 13 digits, or absent for an unregistered partner',
                              c.contract_number));
    END IF;

    SELECT * INTO s FROM billing_context.compute_settlement(
        c.settlement_method, c.monthly_unit_price, p_hours, c.effort_ratio, c.lower_hours, c.upper_hours,
        c.midpoint_hours, c.fixed_hours, c.hourly_rate, c.deduction_hourly_rate, c.overtime_hourly_rate,
        c.amount_rounding_mode, v_active, v_month_days);

    INSERT INTO billing_context.invoices AS i (
        invoice_year, invoice_month, invoice_number, direction, customer_id, contract_id, project_id,
        issuer_name, issuer_registration_no, recipient_name, service_period_start, service_period_end,
        issue_date, due_date, is_protected_subcontract, transfer_fee_bearer, sales_manager_id, billing_details
    ) VALUES (
        v_year, p_month, pg_catalog.format('%s-%s%s-%s', CASE p_direction WHEN 'RECEIVABLE' THEN 'AR' ELSE 'AP' END,
            p_year, pg_catalog.lpad(p_month::text, 2, '0'), c.contract_number),
        p_direction, c.customer_id, c.id, c.project_id,
        CASE p_direction WHEN 'RECEIVABLE' THEN p_our_name ELSE c.counterparty_name END,
        CASE p_direction WHEN 'RECEIVABLE' THEN p_our_registration_no
            ELSE NULLIF(c.contract_terms ->> 'invoice_registration_no', '') END,
        CASE p_direction WHEN 'RECEIVABLE' THEN c.counterparty_name ELSE p_our_name END,
        v_from, v_to, v_month_end,
        billing_context.compute_due_date(v_month_end, c.payment_month_offset, c.payment_day,
                                         c.is_protected_subcontract),
        c.is_protected_subcontract, c.transfer_fee_bearer, c.sales_manager_id,
        pg_catalog.jsonb_build_object('timesheetId', p_timesheet_id, 'closedBy', 'billing_context.close_month')
    )
    ON CONFLICT (direction, contract_id, invoice_year, invoice_month)
    WHERE deleted_at IS NULL AND status <> 'CANCELLED' AND contract_id IS NOT NULL
    DO NOTHING
    RETURNING i.id INTO v_invoice_id;
    IF v_invoice_id IS NULL THEN
        RETURN NULL;
    END IF;

    INSERT INTO billing_context.invoice_billing_items (
        invoice_id, invoice_year, line_no, item_type, description, contract_id, engineer_id,
        quantity, unit, unit_price, amount, settlement_details
    )
    SELECT v_invoice_id, v_year, l.line_no, l.item_type,
           pg_catalog.format('%s年%s月分 %s (%s)', p_year, p_month, l.label, c.contract_number),
           c.id, c.engineer_id, l.quantity, l.unit, l.unit_price, l.amount,
           pg_catalog.jsonb_build_object(
               'timesheetId', p_timesheet_id, 'method', c.settlement_method, 'hours', p_hours, 'lowerHours', s.lower_hours,
               'upperHours', s.upper_hours, 'deductionRate', s.deduction_rate, 'overtimeRate', s.overtime_rate,
               'activeDays', v_active, 'monthDays', v_month_days, 'roundingMode', c.amount_rounding_mode)
    FROM (VALUES
        (1::smallint, CASE WHEN v_active IS NULL THEN 'BASE_FEE' ELSE 'PRORATION' END, '基本料金',
         c.effort_ratio, 'MONTH', c.monthly_unit_price, s.base_amount),
        (2::smallint, CASE WHEN s.adjustment_amount < 0 THEN 'DEDUCTION' ELSE 'OVERTIME' END,
         CASE WHEN c.settlement_method = 'HOURLY' THEN '時間精算' WHEN s.adjustment_amount < 0 THEN '控除'
              ELSE '超過' END,
         pg_catalog.abs(s.adjustment_hours), 'HOUR',
         CASE WHEN s.adjustment_amount < 0 THEN s.deduction_rate ELSE s.overtime_rate END, s.adjustment_amount)
    ) AS l (line_no, item_type, label, quantity, unit, unit_price, amount)
    WHERE (l.line_no = 1 AND c.settlement_method <> 'HOURLY') OR (l.line_no = 2 AND l.amount <> 0);

    PERFORM billing_context.summarize_invoice_tax(v_invoice_id, v_year, 'ISSUED');
    SELECT i.* INTO v_inv FROM billing_context.invoices AS i WHERE i.id = v_invoice_id AND i.invoice_year = v_year;

    IF p_direction = 'RECEIVABLE' THEN
        v_lines := pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '売掛金', 'amount', v_inv.total_amount),
            pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '売上高', 'amount', v_inv.subtotal_amount,
                                          'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '仮受消費税', 'amount', v_inv.tax_amount,
                                          'tax_rate', 0.100));
    ELSE
        v_input_tax := CASE WHEN v_inv.issuer_registration_no IS NOT NULL THEN v_inv.tax_amount
            ELSE pg_catalog.floor(v_inv.total_amount * 10 / 110
                                  * billing_context.input_tax_credit_rate(v_inv.service_period_end)) END;
        v_lines := pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '外注費',
                                          'amount', v_inv.total_amount - v_input_tax, 'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '仮払消費税', 'amount', v_input_tax,
                                          'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '買掛金', 'amount', v_inv.total_amount));
    END IF;
    -- A zero invoice (no hours on an hourly contract) moves no money: no entry.
    IF v_inv.total_amount <> 0 THEN
        PERFORM billing_context.post_journal_entry(
        CASE p_direction WHEN 'RECEIVABLE' THEN 'INVOICE_ISSUED' ELSE 'PAYABLE_RECORDED' END,
        v_inv.issue_date, pg_catalog.format('%s %s', v_inv.invoice_number, v_inv.issuer_name), v_lines,
        v_invoice_id, v_year, NULL, c.id);
    END IF;

    PERFORM ses_common.emit_event(
        CASE p_direction WHEN 'RECEIVABLE' THEN 'InvoiceIssued' ELSE 'PayableRecorded' END,
        'billing_context', 'invoice', v_invoice_id,
        pg_catalog.jsonb_build_object(
            'invoiceId', v_invoice_id, 'invoiceYear', v_year, 'invoiceMonth', p_month,
            'invoiceNumber', v_inv.invoice_number, 'direction', p_direction, 'status', v_inv.status,
            'contractId', c.id, 'customerId', c.customer_id, 'projectId', c.project_id,
            'timesheetId', p_timesheet_id, 'subtotalAmount', v_inv.subtotal_amount,
            'taxAmount', v_inv.tax_amount, 'totalAmount', v_inv.total_amount, 'dueDate', v_inv.due_date));
    RETURN v_invoice_id;
END
$$;

COMMENT ON FUNCTION billing_context.issue_month_invoice(text, uuid, uuid, integer, integer, numeric, text, text) IS
'Internal to billing_context.close_month: settle one contract for one month and issue its RECEIVABLE invoice (we are the issuer) or record its PAYABLE (the partner is; its T-number is contract_terms.invoice_registration_no), with lines, tax per rate, due date, journal entry and InvoiceIssued / PayableRecorded event. Returns the invoice id, or NULL when it exists already or the contract was not active that month.';

REVOKE ALL ON FUNCTION billing_context.issue_month_invoice(text, uuid, uuid, integer, integer, numeric, text, text)
FROM PUBLIC;
