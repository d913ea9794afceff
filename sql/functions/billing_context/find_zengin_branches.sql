-- Why: the payee account check, the transfer file and nobody else in SES read
-- the Zengin master, and the SES roles have no grant on the zengin schema (the
-- master is another area's data). This SECURITY DEFINER function is the one
-- window: given bank-branch keys it answers the master's names for them, and
-- nothing else. A database without the zengin schema (an SES context installed
-- alone) answers no row; callers ask billing_context.is_zengin_installed()
-- first, so "not found" and "cannot tell" are never confused.
-- requires: sql/functions/billing_context/is_zengin_installed.sql
CREATE OR REPLACE FUNCTION billing_context.find_zengin_branches(p_keys text[])
RETURNS TABLE (
    branch_key text, bank_found boolean, branch_found boolean,
    bank_name text, bank_kana text, branch_name text, branch_kana text
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT billing_context.is_zengin_installed() THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT k.key, b.bank_code IS NOT NULL, r.branch_code IS NOT NULL, b.name, b.kana, r.name, r.kana
    FROM (SELECT DISTINCT u.key FROM pg_catalog.unnest(p_keys) AS u (key) WHERE u.key ~ '^[0-9]{4}-[0-9]{3}$') AS k
    LEFT JOIN zengin.banks AS b ON b.bank_code = pg_catalog.left(k.key, 4)
    LEFT JOIN zengin.branches AS r
        ON r.bank_code = pg_catalog.left(k.key, 4) AND r.branch_code = pg_catalog.right(k.key, 3);
END
$$;

COMMENT ON FUNCTION billing_context.find_zengin_branches(text[]) IS
'For each well-formed key ''bbbb-sss'' (bank code - branch code) in p_keys, one row: whether the Zengin master has the bank and the branch, and their names and (full-width) kana. No rows when the zengin schema is not installed (see billing_context.is_zengin_installed). Keys of another shape are ignored.';

REVOKE ALL ON FUNCTION billing_context.find_zengin_branches(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.find_zengin_branches(text[]) TO ses_admin_role, ses_finance_role;
