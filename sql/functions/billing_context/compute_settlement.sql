-- requires: sql/functions/billing_context/round_yen.sql, sql/functions/bbase/raise_invalid.sql
-- Why: the settlement (精算) of one side of a contract for one month is a pure
-- calculation of the contract terms and the hours (ses-domain-rules.md
-- section 1), so it is one IMMUTABLE function the close, the tests and an
-- operator in psql all call the same way:
-- * UPPER_LOWER (上下割): deduction rate = price / lower, overtime rate =
--   price / upper; MIDPOINT (中間割): one rate = price / midpoint (default
--   (lower + upper) / 2); FIXED_HOURS: one reference point, every hour above
--   or below settled at price / fixed hours; rates the contract states win,
--   derived rates are floored to 10 yen (十円まで切捨て);
-- * inside [lower, upper] (bounds included) there is no adjustment;
-- * FIXED bills the price whatever the hours; HOURLY bills hours x rate;
-- * a partial month (日割り) bills price x active days / month days and
--   prorates the bounds (floored to whole hours), keeping the full-month
--   rates (the rules' assumption);
-- * the amount is rounded once, by the contract's rounding mode.
-- "price" is the monthly unit price times the effort ratio (人月).
CREATE OR REPLACE FUNCTION billing_context.compute_settlement(
    p_method text,
    p_monthly_price numeric,
    p_hours numeric,
    p_effort_ratio numeric DEFAULT 1,
    p_lower_hours numeric DEFAULT 140,
    p_upper_hours numeric DEFAULT 180,
    p_midpoint_hours numeric DEFAULT NULL,
    p_fixed_hours numeric DEFAULT NULL,
    p_hourly_rate numeric DEFAULT NULL,
    p_deduction_rate numeric DEFAULT NULL,
    p_overtime_rate numeric DEFAULT NULL,
    p_rounding_mode text DEFAULT 'FLOOR',
    p_active_days integer DEFAULT NULL,
    p_month_days integer DEFAULT NULL,
    OUT base_amount numeric,
    OUT lower_hours numeric,
    OUT upper_hours numeric,
    OUT deduction_rate numeric,
    OUT overtime_rate numeric,
    OUT adjustment_hours numeric,
    OUT adjustment_amount numeric,
    OUT amount numeric
)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_price numeric;
    v_share numeric := 1;
    v_exact numeric;
BEGIN
    IF p_method IS NULL OR p_method NOT IN ('UPPER_LOWER', 'MIDPOINT', 'FIXED', 'FIXED_HOURS', 'HOURLY') THEN
        PERFORM bbase.raise_invalid('SE180', 'settlement_method', p_method, 'settlement term');
    END IF;
    IF p_monthly_price IS NULL OR p_monthly_price < 0 THEN
        PERFORM bbase.raise_invalid('SE180', 'monthly_unit_price', p_monthly_price::text, 'settlement term');
    END IF;
    IF p_effort_ratio IS NULL OR p_effort_ratio <= 0 OR p_effort_ratio > 1 THEN
        PERFORM bbase.raise_invalid('SE180', 'effort_ratio', p_effort_ratio::text, 'settlement term');
    END IF;
    IF p_method <> 'FIXED' AND (p_hours IS NULL OR p_hours < 0) THEN
        PERFORM bbase.raise_invalid('SE180', 'hours', p_hours::text, 'settlement term');
    END IF;
    IF p_rounding_mode IS NULL OR p_rounding_mode NOT IN ('FLOOR', 'HALF_UP', 'CEILING') THEN
        PERFORM bbase.raise_invalid('SE180', 'rounding_mode', p_rounding_mode, 'settlement term');
    END IF;
    IF (p_active_days IS NULL) <> (p_month_days IS NULL)
       OR p_month_days <= 0 OR p_active_days < 0 OR p_active_days > p_month_days THEN
        PERFORM bbase.raise_invalid('SE180', 'active_days/month_days', pg_catalog.format('%s/%s', p_active_days, p_month_days), 'settlement term');
    END IF;
    IF p_month_days IS NOT NULL THEN
        v_share := p_active_days::numeric / p_month_days;
    END IF;
    v_price := p_monthly_price * p_effort_ratio;
    base_amount := v_price * v_share;
    adjustment_hours := 0;
    adjustment_amount := 0;

    IF p_method = 'HOURLY' THEN
        IF p_hourly_rate IS NULL OR p_hourly_rate < 0 THEN
            PERFORM bbase.raise_invalid('SE180', 'hourly_rate', p_hourly_rate::text, 'settlement term');
        END IF;
        base_amount := 0;
        overtime_rate := p_hourly_rate;
        adjustment_hours := p_hours;
        adjustment_amount := p_hours * p_hourly_rate;
    ELSIF p_method = 'FIXED' THEN
        NULL;
    ELSE
        IF p_method = 'FIXED_HOURS' THEN
            IF p_fixed_hours IS NULL OR p_fixed_hours <= 0 THEN
                PERFORM bbase.raise_invalid('SE180', 'fixed_hours', p_fixed_hours::text, 'settlement term');
            END IF;
            lower_hours := pg_catalog.floor(p_fixed_hours * v_share);
            upper_hours := lower_hours;
            deduction_rate := coalesce(p_deduction_rate, pg_catalog.floor(v_price / p_fixed_hours / 10) * 10);
            overtime_rate := coalesce(p_overtime_rate, pg_catalog.floor(v_price / p_fixed_hours / 10) * 10);
        ELSE
            IF p_lower_hours IS NULL OR p_lower_hours <= 0 THEN
                PERFORM bbase.raise_invalid('SE180', 'lower_hours', p_lower_hours::text, 'settlement term');
            END IF;
            IF p_upper_hours IS NULL OR p_upper_hours < p_lower_hours THEN
                PERFORM bbase.raise_invalid('SE180', 'upper_hours', p_upper_hours::text, 'settlement term');
            END IF;
            lower_hours := pg_catalog.floor(p_lower_hours * v_share);
            upper_hours := pg_catalog.floor(p_upper_hours * v_share);
            IF p_method = 'UPPER_LOWER' THEN
                deduction_rate := coalesce(p_deduction_rate, pg_catalog.floor(v_price / p_lower_hours / 10) * 10);
                overtime_rate := coalesce(p_overtime_rate, pg_catalog.floor(v_price / p_upper_hours / 10) * 10);
            ELSE
                IF p_midpoint_hours IS NOT NULL AND p_midpoint_hours <= 0 THEN
                    PERFORM bbase.raise_invalid('SE180', 'midpoint_hours', p_midpoint_hours::text, 'settlement term');
                END IF;
                deduction_rate := coalesce(p_deduction_rate, pg_catalog.floor(
                    v_price / coalesce(p_midpoint_hours, (p_lower_hours + p_upper_hours) / 2) / 10) * 10);
                overtime_rate := coalesce(p_overtime_rate, pg_catalog.floor(
                    v_price / coalesce(p_midpoint_hours, (p_lower_hours + p_upper_hours) / 2) / 10) * 10);
            END IF;
        END IF;
        IF p_hours < lower_hours THEN
            adjustment_hours := p_hours - lower_hours;
            adjustment_amount := adjustment_hours * deduction_rate;
        ELSIF p_hours > upper_hours THEN
            adjustment_hours := p_hours - upper_hours;
            adjustment_amount := adjustment_hours * overtime_rate;
        END IF;
    END IF;

    -- Rounded once: the billed total. The base line is rounded the same way
    -- and the adjustment line is the remainder, so the lines sum to it.
    v_exact := GREATEST(base_amount + adjustment_amount, 0);
    amount := billing_context.round_yen(v_exact, p_rounding_mode);
    base_amount := billing_context.round_yen(base_amount, p_rounding_mode);
    adjustment_amount := amount - base_amount;
END
$$;

COMMENT ON FUNCTION billing_context.compute_settlement(
    text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, text, integer, integer
) IS
'Settle one side of a contract for one month (精算). Arguments: settlement method (UPPER_LOWER, MIDPOINT, FIXED, FIXED_HOURS, HOURLY), monthly unit price, billable hours, effort ratio, lower/upper bounds, midpoint hours, fixed hours, hourly rate, deduction and overtime rates written in the contract (NULL: derived, floored to 10 yen), rounding mode (FLOOR, HALF_UP, CEILING), and for a partial month the active days and the days of the month (weekdays or calendar days, as the contract''s proration basis says). Returns base_amount (prorated price, rounded), the (prorated) bounds and rates applied, adjustment_hours (negative below the range), adjustment_amount (amount - base_amount) and amount (the line total, rounded once). Example: SELECT * FROM billing_context.compute_settlement(''UPPER_LOWER'', 600000, 190.5) gives amount 634965. Bad input raises SE180 naming the field.';

REVOKE ALL ON FUNCTION billing_context.compute_settlement(
    text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, text, integer, integer
) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.compute_settlement(
    text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, text, integer, integer
) TO ses_admin_role, ses_finance_role;
