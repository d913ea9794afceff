-- Why: which contract sides a month's close bills, written once as a set so
-- the close inserts every invoice of the month in one statement instead of a
-- loop per timesheet. For each given (APPROVED, locked) timesheet of the
-- month:
-- * RECEIVABLE: the customer contract, the timesheet's own when it is a
--   customer contract, else the one its partner contract is placed under;
-- * PAYABLE: the timesheet's own contract when it is a partner contract, and
--   every partner contract under the customer contract for the same engineer
--   (live, past signature, not cancelled).
-- A contract side is billed once per month: when two timesheets lead to the
-- same one, the first by timesheet id gives the hours (the order the close
-- has always used).
-- plpgsql, not sql: a context installed alone (billing_context without
-- timesheet_context) must still be able to create it.
-- Internal to billing_context.close_month (no grant).
CREATE OR REPLACE FUNCTION billing_context.list_month_billables(
    p_year integer,
    p_month integer,
    p_timesheet_ids uuid[]
) RETURNS TABLE (direction text, contract_id uuid, timesheet_id uuid, hours numeric)
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
BEGIN
    RETURN QUERY
    WITH t AS (
        SELECT t.id, t.engineer_id, t.billable_hours, k.id AS own_contract_id, k.contract_side,
               CASE k.contract_side WHEN 'CUSTOMER' THEN k.id ELSE k.upstream_contract_id END AS customer_contract_id
        FROM (SELECT DISTINCT u.id FROM pg_catalog.unnest(p_timesheet_ids) AS u (id)) AS g
        INNER JOIN timesheet_context.timesheets AS t ON g.id = t.id
        INNER JOIN contract_context.contracts AS k ON t.contract_id = k.id
        WHERE t.period_year = p_year AND t.period_month = p_month
    ),
    partner AS (
        SELECT k.id, k.upstream_contract_id, k.engineer_id
        FROM contract_context.contracts AS k
        WHERE k.contract_side = 'PARTNER' AND k.deleted_at IS NULL
          AND k.status NOT IN ('DRAFT', 'PENDING_SIGNATURE', 'CANCELLED')
    ),
    side AS (
        SELECT 'RECEIVABLE' AS direction, t.customer_contract_id AS contract_id, t.id, t.billable_hours
        FROM t
        WHERE t.customer_contract_id IS NOT NULL
        UNION ALL
        SELECT 'PAYABLE', p.id, t.id, t.billable_hours
        FROM t INNER JOIN partner AS p ON t.own_contract_id = p.id
        UNION ALL
        SELECT 'PAYABLE', p.id, t.id, t.billable_hours
        FROM t INNER JOIN partner AS p
            ON t.customer_contract_id = p.upstream_contract_id AND t.engineer_id = p.engineer_id
    )
    SELECT DISTINCT ON (s.direction, s.contract_id) s.direction, s.contract_id, s.id, s.billable_hours
    FROM side AS s
    ORDER BY s.direction, s.contract_id, s.id;
END
$$;

COMMENT ON FUNCTION billing_context.list_month_billables(integer, integer, uuid[]) IS
'Internal to billing_context.close_month: for the given timesheets of a month, the contract sides to bill (direction RECEIVABLE for the customer contract, PAYABLE for each live partner contract of the same engineer under it), each once, with the timesheet and billable hours it is settled on.';

REVOKE ALL ON FUNCTION billing_context.list_month_billables(integer, integer, uuid[]) FROM PUBLIC;
