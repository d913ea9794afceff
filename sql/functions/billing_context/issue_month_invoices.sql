-- requires: sql/functions/billing_context/list_month_billables.sql, sql/functions/billing_context/compute_settlement.sql
-- requires: sql/functions/billing_context/count_billing_days.sql, sql/functions/billing_context/compute_due_date.sql
-- requires: sql/functions/billing_context/summarize_invoices_tax.sql, sql/functions/billing_context/post_journal_entries.sql
-- requires: sql/functions/billing_context/input_tax_credit_rate.sql
-- requires: sql/functions/ses_common/emit_events.sql, sql/functions/bbase/raise_invalid.sql
-- Why: each contract side billed in a month (list_month_billables) becomes
-- one invoice: the settlement (compute_settlement, prorated when the
-- contract starts or ends inside the month), its lines, the tax once per
-- invoice and rate, the due date from the payment terms within the 60-day
-- rule, the six required items, the journal entry and the event, all in the
-- caller's transaction. RECEIVABLE: we bill the customer (InvoiceIssued,
-- 売掛金 / 売上高 + 仮受消費税). PAYABLE: the partner bills us
-- (PayableRecorded, 外注費 + 仮払消費税 / 買掛金; for an unregistered partner
-- only the transitional share of the tax is creditable, the rest is cost).
-- A side whose invoice exists already, or whose contract was not active in
-- the month, gets nothing.
-- Set-based: one statement inserts the invoices and their lines, one
-- summarises the tax (summarize_invoices_tax), one posts the journal entries
-- (post_journal_entries), one emits the events (emit_events); the
-- per-invoice loop it
-- replaces spent its time in per-statement overhead (about 8 ms an invoice
-- pair with 1,000 engineers).
-- The lines name their timesheet (timesheet_id, a declared cross-context
-- reference, now checked once per statement: per row it looked the id up in
-- every monthly partition, about 9 ms a line, and the column was left empty)
-- and carry the settlement's terms in settlement_details.
-- Internal to billing_context.close_month (no grant).
CREATE OR REPLACE FUNCTION billing_context.issue_month_invoices(
    p_year integer,
    p_month integer,
    p_timesheet_ids uuid[],
    p_our_name text,
    p_our_registration_no text,
    OUT receivables integer,
    OUT payables integer
)
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_year smallint := p_year::smallint;
    v_month_start date := pg_catalog.make_date(p_year, p_month, 1);
    v_month_end date := (pg_catalog.make_date(p_year, p_month, 1) + interval '1 month - 1 day')::date;
    v_bad record;
    v_ids uuid[];
BEGIN
    -- A partner's registration number is checked before anything is written.
    SELECT k.contract_number, k.contract_terms ->> 'invoice_registration_no' AS registration_no INTO v_bad
    FROM billing_context.list_month_billables(p_year, p_month, p_timesheet_ids) AS b
    INNER JOIN contract_context.contracts AS k ON b.contract_id = k.id
    WHERE b.direction = 'PAYABLE' AND k.deleted_at IS NULL
      AND k.start_date <= v_month_end AND (k.end_date IS NULL OR k.end_date >= v_month_start)
      AND k.contract_terms ->> 'invoice_registration_no' !~ '^T[0-9]{13}$'
    ORDER BY k.contract_number
    LIMIT 1;
    IF FOUND THEN
        PERFORM bbase.raise_invalid('SE180', 'contract_terms.invoice_registration_no', v_bad.registration_no,
            pg_catalog.format('contract %s: T + 13 digits, or absent for an unregistered partner',
                              v_bad.contract_number));
    END IF;

    WITH w AS MATERIALIZED (
        SELECT b.direction, b.timesheet_id, b.hours, c.id AS contract_id, c.contract_number, c.customer_id,
               c.project_id, c.engineer_id, c.counterparty_name, c.settlement_method, c.monthly_unit_price,
               c.effort_ratio, c.amount_rounding_mode, c.payment_month_offset, c.payment_day,
               c.is_protected_subcontract, c.transfer_fee_bearer, c.sales_manager_id,
               NULLIF(c.contract_terms ->> 'invoice_registration_no', '') AS partner_registration_no,
               p.period_start, p.period_end, d.active_days, d.month_days,
               s.base_amount, s.lower_hours, s.upper_hours, s.deduction_rate, s.overtime_rate,
               s.adjustment_hours, s.adjustment_amount
        FROM billing_context.list_month_billables(p_year, p_month, p_timesheet_ids) AS b
        INNER JOIN contract_context.contracts AS c ON b.contract_id = c.id AND c.deleted_at IS NULL
        CROSS JOIN LATERAL (
            SELECT GREATEST(c.start_date, v_month_start) AS period_start, LEAST(c.end_date, v_month_end) AS period_end
        ) AS p
        CROSS JOIN LATERAL (
            SELECT CASE WHEN p.period_start > v_month_start OR p.period_end < v_month_end
                        THEN billing_context.count_billing_days(p.period_start, p.period_end, c.proration_basis)
                   END AS active_days,
                   CASE WHEN p.period_start > v_month_start OR p.period_end < v_month_end
                        THEN billing_context.count_billing_days(v_month_start, v_month_end, c.proration_basis)
                   END AS month_days
        ) AS d
        CROSS JOIN LATERAL billing_context.compute_settlement(
            c.settlement_method, c.monthly_unit_price, b.hours, c.effort_ratio, c.lower_hours, c.upper_hours,
            c.midpoint_hours, c.fixed_hours, c.hourly_rate, c.deduction_hourly_rate, c.overtime_hourly_rate,
            c.amount_rounding_mode, d.active_days, d.month_days) AS s
        WHERE p.period_end >= p.period_start
    ),
    inv AS (
        INSERT INTO billing_context.invoices AS i (
            invoice_year, invoice_month, invoice_number, direction, customer_id, contract_id, project_id,
            issuer_name, issuer_registration_no, recipient_name, service_period_start, service_period_end,
            issue_date, due_date, is_protected_subcontract, transfer_fee_bearer, sales_manager_id, billing_details
        )
        SELECT v_year, p_month,
               pg_catalog.format('%s-%s%s-%s', CASE w.direction WHEN 'RECEIVABLE' THEN 'AR' ELSE 'AP' END,
                                 p_year, pg_catalog.lpad(p_month::text, 2, '0'), w.contract_number),
               w.direction, w.customer_id, w.contract_id, w.project_id,
               CASE w.direction WHEN 'RECEIVABLE' THEN p_our_name ELSE w.counterparty_name END,
               CASE w.direction WHEN 'RECEIVABLE' THEN p_our_registration_no ELSE w.partner_registration_no END,
               CASE w.direction WHEN 'RECEIVABLE' THEN w.counterparty_name ELSE p_our_name END,
               w.period_start, w.period_end, v_month_end,
               billing_context.compute_due_date(v_month_end, w.payment_month_offset, w.payment_day,
                                                w.is_protected_subcontract),
               w.is_protected_subcontract, w.transfer_fee_bearer, w.sales_manager_id,
               pg_catalog.jsonb_build_object('timesheetId', w.timesheet_id, 'closedBy', 'billing_context.close_month')
        FROM w
        ORDER BY w.direction, w.contract_id
        ON CONFLICT (direction, contract_id, invoice_year, invoice_month)
        WHERE deleted_at IS NULL AND status <> 'CANCELLED' AND contract_id IS NOT NULL
        DO NOTHING
        RETURNING i.id, i.direction, i.contract_id
    ),
    line AS (
        INSERT INTO billing_context.invoice_billing_items (
            invoice_id, invoice_year, line_no, item_type, description, contract_id, engineer_id, timesheet_id,
            quantity, unit, unit_price, amount, settlement_details
        )
        SELECT inv.id, v_year, l.line_no, l.item_type,
               pg_catalog.format('%s年%s月分 %s (%s)', p_year, p_month, l.label, w.contract_number),
               w.contract_id, w.engineer_id, w.timesheet_id, l.quantity, l.unit, l.unit_price, l.amount,
               pg_catalog.jsonb_build_object(
                   'timesheetId', w.timesheet_id, 'method', w.settlement_method, 'hours', w.hours,
                   'lowerHours', w.lower_hours, 'upperHours', w.upper_hours, 'deductionRate', w.deduction_rate,
                   'overtimeRate', w.overtime_rate, 'activeDays', w.active_days, 'monthDays', w.month_days,
                   'roundingMode', w.amount_rounding_mode)
        FROM inv
        INNER JOIN w ON inv.direction = w.direction AND inv.contract_id = w.contract_id
        CROSS JOIN LATERAL (VALUES
            (1::smallint, CASE WHEN w.active_days IS NULL THEN 'BASE_FEE' ELSE 'PRORATION' END, '基本料金',
             w.effort_ratio, 'MONTH', w.monthly_unit_price, w.base_amount),
            (2::smallint, CASE WHEN w.adjustment_amount < 0 THEN 'DEDUCTION' ELSE 'OVERTIME' END,
             CASE WHEN w.settlement_method = 'HOURLY' THEN '時間精算' WHEN w.adjustment_amount < 0 THEN '控除'
                  ELSE '超過' END,
             pg_catalog.abs(w.adjustment_hours), 'HOUR',
             CASE WHEN w.adjustment_amount < 0 THEN w.deduction_rate ELSE w.overtime_rate END, w.adjustment_amount)
        ) AS l (line_no, item_type, label, quantity, unit, unit_price, amount)
        WHERE (l.line_no = 1 AND w.settlement_method <> 'HOURLY') OR (l.line_no = 2 AND l.amount <> 0)
    )
    SELECT pg_catalog.array_agg(inv.id ORDER BY inv.id),
           pg_catalog.count(*) FILTER (WHERE inv.direction = 'RECEIVABLE'),
           pg_catalog.count(*) FILTER (WHERE inv.direction = 'PAYABLE')
    INTO v_ids, receivables, payables
    FROM inv;

    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    PERFORM billing_context.summarize_invoices_tax(v_ids, v_year, 'ISSUED');

    -- A zero invoice (no hours on an hourly contract) moves no money: no entry.
    PERFORM billing_context.post_journal_entries(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'event_type', CASE i.direction WHEN 'RECEIVABLE' THEN 'INVOICE_ISSUED' ELSE 'PAYABLE_RECORDED' END,
        'entry_date', i.issue_date, 'description', pg_catalog.format('%s %s', i.invoice_number, i.issuer_name),
        'invoice_id', i.id, 'invoice_year', i.invoice_year, 'contract_id', i.contract_id,
        'lines', CASE i.direction
            WHEN 'RECEIVABLE' THEN pg_catalog.jsonb_build_array(
                pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '売掛金', 'amount', i.total_amount),
                pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '売上高', 'amount', i.subtotal_amount,
                                              'tax_rate', 0.100),
                pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '仮受消費税', 'amount', i.tax_amount,
                                              'tax_rate', 0.100))
            ELSE pg_catalog.jsonb_build_array(
                pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '外注費',
                                              'amount', i.total_amount - t.input_tax, 'tax_rate', 0.100),
                pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '仮払消費税', 'amount', t.input_tax,
                                              'tax_rate', 0.100),
                pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '買掛金', 'amount', i.total_amount))
            END) ORDER BY i.id))
    FROM pg_catalog.unnest(v_ids) AS g (id)
    INNER JOIN billing_context.invoices AS i ON g.id = i.id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN i.issuer_registration_no IS NOT NULL THEN i.tax_amount
                    ELSE pg_catalog.floor(i.total_amount * 10 / 110
                                          * billing_context.input_tax_credit_rate(i.service_period_end)) END
               AS input_tax
    ) AS t
    WHERE i.invoice_year = v_year AND i.total_amount <> 0;

    PERFORM ses_common.emit_events(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'event_type', CASE i.direction WHEN 'RECEIVABLE' THEN 'InvoiceIssued' ELSE 'PayableRecorded' END,
        'source_context', 'billing_context', 'aggregate_type', 'invoice', 'aggregate_id', i.id,
        'payload', pg_catalog.jsonb_build_object(
            'invoiceId', i.id, 'invoiceYear', i.invoice_year, 'invoiceMonth', i.invoice_month,
            'invoiceNumber', i.invoice_number, 'direction', i.direction, 'status', i.status,
            'contractId', i.contract_id, 'customerId', i.customer_id, 'projectId', i.project_id,
            'timesheetId', i.billing_details -> 'timesheetId', 'subtotalAmount', i.subtotal_amount,
            'taxAmount', i.tax_amount, 'totalAmount', i.total_amount, 'dueDate', i.due_date)) ORDER BY i.id))
    FROM pg_catalog.unnest(v_ids) AS g (id)
    INNER JOIN billing_context.invoices AS i ON g.id = i.id
    WHERE i.invoice_year = v_year;
END
$$;

COMMENT ON FUNCTION billing_context.issue_month_invoices(integer, integer, uuid[], text, text) IS
'Internal to billing_context.close_month: for the given timesheets of a month, settle each contract side (list_month_billables) and issue its RECEIVABLE invoice (we are the issuer) or record its PAYABLE (the partner is; its T-number is contract_terms.invoice_registration_no), with lines, tax per invoice and rate, due date, journal entry and InvoiceIssued / PayableRecorded event. Returns how many receivables and payables were created; a side whose invoice exists already or whose contract was not active that month gets nothing. SE180 for a malformed partner registration number.';

REVOKE ALL ON FUNCTION billing_context.issue_month_invoices(integer, integer, uuid[], text, text) FROM PUBLIC;
