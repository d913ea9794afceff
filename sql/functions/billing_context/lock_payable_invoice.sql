-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: a receipt (RECEIVABLE) and a partner payment (PAYABLE) start the same
-- way, written once here: lock the invoice (FOR UPDATE: two payments of one
-- invoice wait for each other), check it is of the expected direction (SE182),
-- recognise a payment already recorded with the same bank reference (the
-- repeated call: existing_payment_id is set and the caller books nothing,
-- whatever the invoice's status is now), and check the invoice still takes a
-- payment (ISSUED, UNPAID, PARTIALLY_PAID, OVERDUE; SE182 otherwise).
-- Internal to the SECURITY DEFINER payment functions (no grant): it runs as
-- their owner and turns on the owner's maintenance policy (forced row-level
-- security) for the transaction, as they do.
CREATE OR REPLACE FUNCTION billing_context.lock_payable_invoice(
    p_invoice_id uuid,
    p_direction text,
    p_bank_reference text,
    OUT invoice billing_context.invoices,
    OUT existing_payment_id uuid
)
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT i.* INTO invoice FROM billing_context.invoices AS i
    WHERE i.id = p_invoice_id AND i.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND OR invoice.direction IS DISTINCT FROM p_direction THEN
        PERFORM bbase.raise_invalid('SE182', 'p_invoice_id', p_invoice_id::text,
            pg_catalog.format('no %s invoice with this id', p_direction));
    END IF;
    IF p_bank_reference IS NOT NULL THEN
        SELECT p.id INTO existing_payment_id FROM billing_context.invoice_payments AS p
        WHERE p.invoice_id = p_invoice_id AND p.bank_reference = p_bank_reference
          AND p.deleted_at IS NULL AND p.status <> 'REVERSED';
        IF FOUND THEN
            RAISE NOTICE 'payment % on invoice % is recorded already; nothing changed', p_bank_reference,
                invoice.invoice_number;
            RETURN;
        END IF;
    END IF;
    IF invoice.status NOT IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE') THEN
        PERFORM bbase.raise_invalid('SE182', 'p_invoice_id', p_invoice_id::text,
            pg_catalog.format('invoice %s is %s and takes no payment', invoice.invoice_number, invoice.status));
    END IF;
END
$$;

COMMENT ON FUNCTION billing_context.lock_payable_invoice(uuid, text, text) IS
'Internal to record_receipt / record_partner_payment: lock invoice p_invoice_id of direction p_direction (RECEIVABLE or PAYABLE; SE182 otherwise) and return it; existing_payment_id is the payment already recorded with p_bank_reference (a repeated call: book nothing), else the invoice must take a payment (ISSUED, UNPAID, PARTIALLY_PAID, OVERDUE; SE182).';

REVOKE ALL ON FUNCTION billing_context.lock_payable_invoice(uuid, text, text) FROM PUBLIC;
