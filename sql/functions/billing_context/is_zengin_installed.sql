-- Why: SES may be installed without the Zengin master (a context installed
-- alone); every check against the master must then say "not verifiable"
-- instead of passing. One place answers whether the master is here. Read
-- from the catalog, not with to_regclass, which needs USAGE on the schema
-- (the SES roles have none on zengin).
CREATE OR REPLACE FUNCTION billing_context.is_zengin_installed()
RETURNS boolean
LANGUAGE sql
STABLE
RETURN (
    SELECT pg_catalog.count(*) = 2
    FROM pg_catalog.pg_class AS c
    INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
    WHERE n.nspname = 'zengin' AND c.relname IN ('banks', 'branches') AND c.relkind = 'r'
);

COMMENT ON FUNCTION billing_context.is_zengin_installed() IS
'True when this database holds the Zengin master (zengin.banks and zengin.branches), so payee accounts can be checked against it.';

REVOKE ALL ON FUNCTION billing_context.is_zengin_installed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.is_zengin_installed() TO ses_admin_role, ses_finance_role, bbase_operator;
