-- requires: sql/functions/billing_context/post_journal_entry.sql, sql/functions/bbase/raise_invalid.sql
-- requires: sql/functions/billing_context/check_payment_amounts.sql, sql/functions/billing_context/lock_payable_invoice.sql
-- requires: sql/functions/ses_common/emit_event.sql
-- Why: money from a customer settles a RECEIVABLE invoice (ses-domain-rules.md
-- section 3): partly (PARTIALLY_PAID), exactly or more (PAID; the excess is
-- booked to 仮受金 for refund or offset, never to the invoice). A transfer
-- fee the customer deducted also settles the invoice and is booked either
-- as an expense (支払手数料 + 仮払消費税) or as a sales return (売上値引 +
-- 仮受消費税), the tax part being fee x 10/110 floored. One balanced journal
-- entry and one PaymentReceived event per receipt, in one transaction.
-- Optimistic locking: the caller names the invoice version read (SE001 when
-- stale). Safe to call twice: the same bank reference on the same invoice is
-- recognised and nothing is booked again (NOTICE, the first payment's id).
-- SECURITY DEFINER because the receipt writes the journal and the event,
-- which finance cannot write directly; granted to finance and admin only.
CREATE OR REPLACE FUNCTION billing_context.record_receipt(
    p_invoice_id uuid,
    p_expected_version integer,
    p_payment_date date,
    p_amount numeric,
    p_fee_amount numeric DEFAULT 0,
    p_fee_treatment text DEFAULT NULL,
    p_bank_reference text DEFAULT NULL,
    p_payer_name text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_lock record;
    v_inv billing_context.invoices;
    v_payment_id uuid;
    v_applied numeric;
    v_excess numeric;
    v_fee_tax numeric;
    v_paid numeric;
    v_status text;
BEGIN
    PERFORM billing_context.check_payment_amounts(p_amount, p_fee_amount, p_payment_date);
    IF (p_fee_amount > 0) <> (p_fee_treatment IS NOT NULL)
       OR p_fee_treatment NOT IN ('EXPENSE', 'SALES_RETURN') THEN
        PERFORM bbase.raise_invalid('SE183', 'p_fee_treatment', p_fee_treatment,
            'EXPENSE or SALES_RETURN exactly when a fee was deducted');
    END IF;

    -- Locked, of the right direction, open for payment; or paid already with
    -- this bank reference (a repeated call: nothing is booked again).
    SELECT * INTO v_lock FROM billing_context.lock_payable_invoice(p_invoice_id, 'RECEIVABLE', p_bank_reference);
    IF v_lock.existing_payment_id IS NOT NULL THEN
        RETURN v_lock.existing_payment_id;
    END IF;
    v_inv := v_lock.invoice;

    v_applied := LEAST(p_amount + p_fee_amount, v_inv.total_amount - v_inv.paid_amount);
    v_excess := p_amount + p_fee_amount - v_applied;
    v_fee_tax := pg_catalog.floor(p_fee_amount * 10 / 110);
    v_paid := v_inv.paid_amount + v_applied;
    v_status := CASE WHEN v_paid >= v_inv.total_amount THEN 'PAID'
                     WHEN v_inv.status = 'OVERDUE' THEN 'OVERDUE' ELSE 'PARTIALLY_PAID' END;

    INSERT INTO billing_context.invoice_payments (
        invoice_id, invoice_year, customer_id, payment_date, amount, fee_amount, fee_treatment,
        payer_name, bank_reference, status
    ) VALUES (
        v_inv.id, v_inv.invoice_year, v_inv.customer_id, p_payment_date, p_amount, p_fee_amount, p_fee_treatment,
        p_payer_name, p_bank_reference, 'RECONCILED'
    ) RETURNING id INTO v_payment_id;

    UPDATE billing_context.invoices AS i
    SET paid_amount = v_paid, status = v_status,
        paid_at = CASE WHEN v_status = 'PAID' THEN pg_catalog.now() END,
        version = p_expected_version
    WHERE i.id = v_inv.id AND i.invoice_year = v_inv.invoice_year;

    PERFORM billing_context.post_journal_entry('PAYMENT_RECEIVED', p_payment_date,
        pg_catalog.format('入金 %s', v_inv.invoice_number),
        pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '普通預金', 'amount', p_amount),
            pg_catalog.jsonb_build_object('side', 'DEBIT',
                'account', CASE p_fee_treatment WHEN 'SALES_RETURN' THEN '売上値引' ELSE '支払手数料' END,
                'amount', p_fee_amount - v_fee_tax, 'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'DEBIT',
                'account', CASE p_fee_treatment WHEN 'SALES_RETURN' THEN '仮受消費税' ELSE '仮払消費税' END,
                'amount', v_fee_tax, 'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '売掛金', 'amount', v_applied),
            pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '仮受金', 'amount', v_excess)),
        v_inv.id, v_inv.invoice_year, v_payment_id, v_inv.contract_id);

    PERFORM ses_common.emit_event('PaymentReceived', 'billing_context', 'invoice', v_inv.id,
        pg_catalog.jsonb_build_object(
            'invoiceId', v_inv.id, 'paymentId', v_payment_id, 'customerId', v_inv.customer_id,
            'amount', p_amount, 'feeAmount', p_fee_amount, 'appliedAmount', v_applied,
            'excessAmount', v_excess, 'paidAmount', v_paid, 'status', v_status));
    RETURN v_payment_id;
END
$$;

COMMENT ON FUNCTION billing_context.record_receipt(uuid, integer, date, numeric, numeric, text, text, text) IS
'Record money received for a RECEIVABLE invoice (finance). Arguments: invoice id, the invoice version read, payment date, amount received, transfer fee the customer deducted (tax included, default 0), fee treatment EXPENSE or SALES_RETURN (exactly when a fee), bank reference (makes a repeat call a no-op), payer name. Amount + fee settle the invoice: PARTIALLY_PAID (OVERDUE stays OVERDUE) or PAID; an excess goes to 仮受金. Posts one balanced journal entry and emits PaymentReceived. Returns the payment id. SE182: not a payable-in-status RECEIVABLE; SE183: bad amount/fee; SE001: stale version.';

REVOKE ALL ON FUNCTION billing_context.record_receipt(uuid, integer, date, numeric, numeric, text, text, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.record_receipt(uuid, integer, date, numeric, numeric, text, text, text)
TO ses_finance_role, ses_admin_role;
