-- Why: SES may be installed without the Zengin master (a context installed
-- alone); every check against the master must then say "not verifiable"
-- instead of passing. One place answers whether the master is here.
CREATE OR REPLACE FUNCTION billing_context.is_zengin_installed()
RETURNS boolean
LANGUAGE sql
STABLE
RETURN pg_catalog.to_regclass('zengin.branches') IS NOT NULL
    AND pg_catalog.to_regclass('zengin.banks') IS NOT NULL;

COMMENT ON FUNCTION billing_context.is_zengin_installed() IS
'True when this database holds the Zengin master (zengin.banks and zengin.branches), so payee accounts can be checked against it.';

REVOKE ALL ON FUNCTION billing_context.is_zengin_installed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.is_zengin_installed() TO ses_admin_role, ses_finance_role, bbase_operator;
