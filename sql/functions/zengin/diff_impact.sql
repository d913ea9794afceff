-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: a reviewer approving a diff that deletes a branch should know, before
-- the money moves, that partners are paid to it: how many payee accounts the
-- diff would invalidate (the same rule the invalidating hook applies,
-- billing_context.find_payee_accounts_at) and how much open payables
-- (billing_context.is_open_payable) are owed to them, and how many accounts
-- a rename touches. The review report shows these per diff.
-- Zengin may be installed without SES: then payee_accounts_checked is false
-- and the counts are NULL ("no accounts here to check"), never 0.
-- SECURITY DEFINER: reviewers read no SES table; they get aggregates only.
-- The SES calls are static SQL behind the installed check (plpgsql plans a
-- statement only when it first runs). VOLATILE: it sets the transaction's
-- ses_common.maintenance flag for the owner's row-level security policy.
CREATE OR REPLACE FUNCTION zengin.diff_impact(p_diff_id text)
RETURNS TABLE (
    payee_accounts_checked boolean,
    accounts_invalidated bigint,
    unpaid_payables numeric,
    accounts_renamed bigint
)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM zengin.diffs AS d WHERE d.id = p_diff_id) THEN
        PERFORM bbase.raise_invalid('ZG050', 'diff_id', p_diff_id, 'no such diff');
    END IF;
    IF pg_catalog.to_regprocedure('billing_context.find_payee_accounts_at(text, text)') IS NULL
       OR pg_catalog.to_regprocedure('billing_context.is_open_payable(text, text)') IS NULL THEN
        RETURN QUERY SELECT false, NULL::bigint, NULL::numeric, NULL::bigint;
        RETURN;
    END IF;
    -- The owner's maintenance policy under forced row-level security (SES).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    RETURN QUERY
    WITH removed AS (
        SELECT DISTINCT i.bank_code::text AS bank_code,
            CASE WHEN i.target = 'branch' THEN i.branch_code::text END AS branch_code
        FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.diff_type = 'deletion'
    ), hit AS (
        SELECT DISTINCT a.id
        FROM removed AS r
        CROSS JOIN LATERAL billing_context.find_payee_accounts_at(r.bank_code, r.branch_code) AS a
    ), renamed AS (
        SELECT DISTINCT a.id
        FROM zengin.diff_items AS i
        INNER JOIN billing_context.payee_accounts AS a
            ON a.bank_code = i.bank_code AND (i.target = 'bank' OR a.branch_code = i.branch_code)
        WHERE i.diff_id = p_diff_id AND i.diff_type = 'update' AND a.deleted_at IS NULL
          AND i.changes ? (i.target || 'Name')
    )
    SELECT true,
        (SELECT pg_catalog.count(*) FROM hit),
        (SELECT coalesce(pg_catalog.sum(v.total_amount - v.paid_amount), 0)
         FROM billing_context.invoices AS v
         WHERE v.payee_account_id IN (SELECT hit.id FROM hit) AND v.deleted_at IS NULL
           AND billing_context.is_open_payable(v.direction, v.status)),
        (SELECT pg_catalog.count(*) FROM renamed);
END
$$;

COMMENT ON FUNCTION zengin.diff_impact(text) IS
'What executing diff p_diff_id would do to SES payee accounts: accounts_invalidated (live ACTIVE accounts on the banks/branches it deletes), unpaid_payables (open payables owed to them, in yen), accounts_renamed (live accounts on banks/branches whose name it changes). payee_accounts_checked false and NULL counts when SES billing is not installed in this database. ZG050 for an unknown diff.';

REVOKE ALL ON FUNCTION zengin.diff_impact(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zengin.diff_impact(text) TO bbase_operator, bbase_reviewer, bbase_readonly;
