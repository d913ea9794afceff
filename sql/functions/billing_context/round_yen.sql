-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: every amount of the monthly close is rounded to whole yen exactly once,
-- by a mode the contract (amounts) or the issuer (tax) chooses
-- (ses-domain-rules.md sections 1 and 2). One function so that FLOOR,
-- HALF_UP and CEILING mean the same thing for settlement and for tax.
CREATE OR REPLACE FUNCTION billing_context.round_yen(p_amount numeric, p_mode text)
RETURNS numeric
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
    IF p_mode = 'FLOOR' THEN
        RETURN pg_catalog.floor(p_amount);
    ELSIF p_mode = 'HALF_UP' THEN
        RETURN pg_catalog.round(p_amount, 0);
    ELSIF p_mode = 'CEILING' THEN
        RETURN pg_catalog.ceil(p_amount);
    END IF;
    PERFORM bbase.raise_invalid('SE180', 'rounding_mode', p_mode, 'FLOOR, HALF_UP or CEILING');
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION billing_context.round_yen(numeric, text) IS
'Round an amount to whole yen by FLOOR, HALF_UP (half away from zero) or CEILING; any other mode raises SE180 naming rounding_mode.';

REVOKE ALL ON FUNCTION billing_context.round_yen(numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.round_yen(numeric, text) TO ses_admin_role, ses_finance_role;
