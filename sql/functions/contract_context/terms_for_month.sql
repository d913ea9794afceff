-- requires: sql/functions/contract_context/list_amendable_terms.sql, sql/functions/bbase/raise_invalid.sql
-- Why: an amendment takes effect from a month, and the months before keep the
-- terms they were worked under; so the contract row keeps the terms as signed
-- and the terms of a month are computed: the row overlaid with the "to" value
-- of every APPLIED amendment effective in or before that month (the latest
-- effective date, then the highest amendment number, wins per term). The
-- monthly close settles a month with these terms. One row, or none when the
-- month lies outside the contract's period as amended (or the contract is
-- missing, deleted or not visible). SECURITY INVOKER: the caller's row-level
-- security and column grants apply (admins, project managers, finance).
CREATE OR REPLACE FUNCTION contract_context.terms_for_month(
    p_contract_id uuid,
    p_year integer,
    p_month integer
) RETURNS SETOF contract_context.contracts
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_first date;
    v_next date;
BEGIN
    IF p_year IS NULL OR p_year NOT BETWEEN 2000 AND 2999 THEN
        PERFORM bbase.raise_invalid('SE195', 'p_year', p_year::text, 'a year between 2000 and 2999');
    END IF;
    IF p_month IS NULL OR p_month NOT BETWEEN 1 AND 12 THEN
        PERFORM bbase.raise_invalid('SE195', 'p_month', p_month::text, 'a month between 1 and 12');
    END IF;
    v_first := pg_catalog.make_date(p_year, p_month, 1);
    v_next := (v_first + INTERVAL '1 month')::date;

    RETURN QUERY
    SELECT t.*
    FROM contract_context.contracts AS c
    CROSS JOIN LATERAL (
        SELECT coalesce(pg_catalog.jsonb_object_agg(o.key, o.value), '{}') AS overlay
        FROM (
            SELECT DISTINCT ON (ch.key) ch.key, ch.value -> 'to' AS value
            FROM contract_context.contract_amendments AS a
            CROSS JOIN LATERAL pg_catalog.jsonb_each(a.changes) AS ch
            WHERE a.contract_id = c.id AND a.status = 'APPLIED' AND a.deleted_at IS NULL
              AND a.effective_date < v_next
              AND ch.key = ANY(contract_context.list_amendable_terms())
              AND pg_catalog.jsonb_typeof(ch.value) = 'object' AND ch.value ? 'to'
            ORDER BY ch.key, a.effective_date DESC, a.amendment_number DESC
        ) AS o
    ) AS ov
    CROSS JOIN LATERAL pg_catalog.jsonb_populate_record(c, ov.overlay) AS t
    WHERE c.id = p_contract_id AND c.deleted_at IS NULL
      AND t.start_date < v_next AND t.end_date >= v_first;
END
$$;

COMMENT ON FUNCTION contract_context.terms_for_month(uuid, integer, integer) IS
'The contract row as in force in month p_year-p_month: contracts row overlaid with the "to" values of the APPLIED amendments effective in or before that month (latest wins). No row when the month is outside the (amended) contract period or the contract is not visible. Used by the monthly close. SE195 bad year or month.';

REVOKE EXECUTE ON FUNCTION contract_context.terms_for_month(uuid, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contract_context.terms_for_month(uuid, integer, integer)
TO ses_admin_role, ses_project_manager_role, ses_finance_role;
