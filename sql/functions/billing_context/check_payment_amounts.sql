-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: a receipt and a partner payment take the same money arguments, and the
-- rule for them is written once: the amount is a positive whole number of
-- yen, the transfer fee zero or a whole number of yen, and the payment has a
-- date (SE183 naming the field and the value otherwise).
CREATE OR REPLACE FUNCTION billing_context.check_payment_amounts(
    p_amount numeric,
    p_fee_amount numeric,
    p_payment_date date
) RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SET search_path = ''
AS $$
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 OR p_amount <> pg_catalog.trunc(p_amount) THEN
        PERFORM bbase.raise_invalid('SE183', 'p_amount', p_amount::text, 'a positive whole number of yen');
    END IF;
    IF p_fee_amount IS NULL OR p_fee_amount < 0 OR p_fee_amount <> pg_catalog.trunc(p_fee_amount) THEN
        PERFORM bbase.raise_invalid('SE183', 'p_fee_amount', p_fee_amount::text, 'zero or a whole number of yen');
    END IF;
    IF p_payment_date IS NULL THEN
        PERFORM bbase.raise_invalid('SE183', 'p_payment_date', p_payment_date::text, 'the date the money moved');
    END IF;
END
$$;

COMMENT ON FUNCTION billing_context.check_payment_amounts(numeric, numeric, date) IS
'Checks the money arguments of record_receipt and record_partner_payment: amount a positive whole number of yen, fee zero or a whole number of yen, a payment date; SE183 naming the field otherwise.';

REVOKE ALL ON FUNCTION billing_context.check_payment_amounts(numeric, numeric, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.check_payment_amounts(numeric, numeric, date)
TO ses_finance_role, ses_admin_role;
