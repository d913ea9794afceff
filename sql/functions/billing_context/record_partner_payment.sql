-- requires: sql/functions/billing_context/post_journal_entry.sql, sql/functions/bbase/raise_invalid.sql
-- requires: sql/functions/billing_context/check_payment_amounts.sql, sql/functions/billing_context/lock_payable_invoice.sql
-- requires: sql/functions/ses_common/emit_event.sql
-- Why: paying a partner settles a PAYABLE (ses-domain-rules.md section 3:
-- 買掛金 / 普通預金). When we bear the transfer fee (PAYER, always for
-- protected partners: deducting it is illegal under 取適法) it is our expense,
-- 支払手数料 + 仮払消費税 (fee x 10/110 floored); when the contract lets a
-- non-protected partner bear it (PAYEE), the fee deducted from what we send
-- also settles the payable. We never pay more than is owed (SE183). One
-- balanced journal entry and one PartnerPaid event per payment. Optimistic
-- locking by the invoice version read; a repeated bank reference is a no-op.
-- SECURITY DEFINER (journal, event); granted to finance and admin only.
CREATE OR REPLACE FUNCTION billing_context.record_partner_payment(
    p_invoice_id uuid,
    p_expected_version integer,
    p_payment_date date,
    p_amount numeric,
    p_fee_amount numeric DEFAULT 0,
    p_bank_reference text DEFAULT NULL
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
    v_settled numeric;
    v_fee_tax numeric;
    v_paid numeric;
    v_status text;
    v_payer_fee numeric;
BEGIN
    PERFORM billing_context.check_payment_amounts(p_amount, p_fee_amount, p_payment_date);

    -- Locked, of the right direction, open for payment; or paid already with
    -- this bank reference (a repeated call: nothing is booked again).
    SELECT * INTO v_lock FROM billing_context.lock_payable_invoice(p_invoice_id, 'PAYABLE', p_bank_reference);
    IF v_lock.existing_payment_id IS NOT NULL THEN
        RETURN v_lock.existing_payment_id;
    END IF;
    v_inv := v_lock.invoice;

    -- PAYEE: the fee comes out of what the partner is owed; PAYER: it is ours.
    v_payer_fee := CASE v_inv.transfer_fee_bearer WHEN 'PAYER' THEN p_fee_amount ELSE 0 END;
    v_settled := p_amount + p_fee_amount - v_payer_fee;
    IF v_settled > v_inv.total_amount - v_inv.paid_amount THEN
        PERFORM bbase.raise_invalid('SE183', 'p_amount', p_amount::text,
            pg_catalog.format('more than the %s yen still owed on %s', v_inv.total_amount - v_inv.paid_amount,
                              v_inv.invoice_number));
    END IF;
    v_fee_tax := pg_catalog.floor(v_payer_fee * 10 / 110);
    v_paid := v_inv.paid_amount + v_settled;
    v_status := CASE WHEN v_paid >= v_inv.total_amount THEN 'PAID'
                     WHEN v_inv.status = 'OVERDUE' THEN 'OVERDUE' ELSE 'PARTIALLY_PAID' END;

    INSERT INTO billing_context.invoice_payments (
        invoice_id, invoice_year, customer_id, payment_date, amount, fee_amount, fee_treatment,
        bank_reference, status, note
    ) VALUES (
        v_inv.id, v_inv.invoice_year, v_inv.customer_id, p_payment_date, v_settled, v_payer_fee,
        CASE WHEN v_payer_fee > 0 THEN 'EXPENSE' END, p_bank_reference, 'RECONCILED',
        CASE WHEN v_payer_fee <> p_fee_amount
             THEN pg_catalog.format('transfer fee %s borne by the payee', p_fee_amount) END
    ) RETURNING id INTO v_payment_id;

    UPDATE billing_context.invoices AS i
    SET paid_amount = v_paid, status = v_status,
        paid_at = CASE WHEN v_status = 'PAID' THEN pg_catalog.now() END,
        version = p_expected_version
    WHERE i.id = v_inv.id AND i.invoice_year = v_inv.invoice_year;

    PERFORM billing_context.post_journal_entry('PAYMENT_MADE', p_payment_date,
        pg_catalog.format('支払 %s', v_inv.invoice_number),
        pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '買掛金', 'amount', v_settled),
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '支払手数料',
                                          'amount', v_payer_fee - v_fee_tax, 'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'DEBIT', 'account', '仮払消費税', 'amount', v_fee_tax,
                                          'tax_rate', 0.100),
            pg_catalog.jsonb_build_object('side', 'CREDIT', 'account', '普通預金',
                                          'amount', p_amount + p_fee_amount)),
        v_inv.id, v_inv.invoice_year, v_payment_id, v_inv.contract_id);

    PERFORM ses_common.emit_event('PartnerPaid', 'billing_context', 'invoice', v_inv.id,
        pg_catalog.jsonb_build_object(
            'invoiceId', v_inv.id, 'paymentId', v_payment_id, 'amount', p_amount, 'feeAmount', p_fee_amount,
            'settledAmount', v_settled, 'paidAmount', v_paid, 'status', v_status));
    RETURN v_payment_id;
END
$$;

COMMENT ON FUNCTION billing_context.record_partner_payment(uuid, integer, date, numeric, numeric, text) IS
'Record a payment to a partner for a PAYABLE invoice (finance). Arguments: invoice id, the invoice version read, payment date, amount the partner receives, transfer fee the bank charged (tax included, default 0), bank reference (makes a repeat call a no-op). With the fee borne by us (PAYER) it is booked as 支払手数料 + 仮払消費税; borne by the partner (PAYEE, never for protected partners) it also settles the payable. Never more than is owed. Posts one balanced journal entry, emits PartnerPaid, returns the payment id. SE182: not a PAYABLE open for payment; SE183: bad amount/fee or overpayment; SE001: stale version.';

REVOKE ALL ON FUNCTION billing_context.record_partner_payment(uuid, integer, date, numeric, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.record_partner_payment(uuid, integer, date, numeric, numeric, text)
TO ses_finance_role, ses_admin_role;
