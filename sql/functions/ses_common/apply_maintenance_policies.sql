-- Why: every SES table and partition has FORCE ROW LEVEL SECURITY (migration
-- 0180), so the table owner, the role that migrates and owns the SECURITY
-- DEFINER maintenance functions and triggers (soft delete, cross-context
-- reference check, journal balance, archive, purge, statistics refresh), is
-- held to policies too: on Amazon RDS it is not a superuser and has no
-- BYPASSRLS. Those functions must see and change every row; an ad-hoc
-- session of the owner (or an application wrongly connected as the owner)
-- should see none. So each table and partition gets one policy for its owner,
-- "The owner can maintain every row during maintenance", admitting rows only
-- while the setting ses_common.maintenance is 'on'. Each SECURITY DEFINER
-- maintenance function and trigger turns it on first thing, with
-- set_config(..., true), for the rest of the transaction (PostgreSQL 15 lets
-- only superusers put a custom setting in a function's SET clause). That it
-- outlives the call matters only to a session running as the owner itself:
-- the policy is TO the owner, and every other role's rows are decided by its
-- own policies. A DBA working by hand as the owner says
-- SET LOCAL ses_common.maintenance = on. The flag is no permission (the owner
-- can ALTER its tables anyway) but keeps the owner, or an application wrongly
-- connected as the owner, from reading rows by accident. No BYPASSRLS role is
-- created: creating one needs a superuser, which RDS does not give, and a
-- role that bypasses every policy is one more credential worth stealing.
-- Also enables and forces row-level security where it is missing (a table or
-- partition added later), so nothing new is ever readable before its policies
-- exist: without a policy for a role, that role sees no row.
-- Run by sql/post_install/ses_common/apply_maintenance_policies.sql after
-- every migration, and by ses_common.create_partitions for each partition it
-- creates. Idempotent; returns what it changed.
CREATE OR REPLACE FUNCTION ses_common.apply_maintenance_policies(p_table regclass DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    c_policy CONSTANT name := 'The owner can maintain every row during maintenance';
    v_rel record;
    v_sql text;
BEGIN
    FOR v_rel IN
        SELECT c.oid, c.oid::regclass AS rel, c.relrowsecurity, c.relforcerowsecurity,
               c.relowner::regrole AS owner_role,
               (SELECT p.polroles FROM pg_catalog.pg_policy AS p
                WHERE p.polrelid = c.oid AND p.polname = c_policy) AS policy_roles
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')
          AND (p_table IS NULL OR c.oid = p_table)
        ORDER BY c.oid
    LOOP
        IF NOT v_rel.relrowsecurity THEN
            v_sql := pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', v_rel.rel);
            EXECUTE v_sql;
            RETURN NEXT v_sql;
        END IF;
        IF NOT v_rel.relforcerowsecurity THEN
            v_sql := pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', v_rel.rel);
            EXECUTE v_sql;
            RETURN NEXT v_sql;
        END IF;
        IF v_rel.policy_roles IS DISTINCT FROM ARRAY[v_rel.owner_role::oid] THEN
            EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', c_policy, v_rel.rel);
            v_sql := pg_catalog.format(
                'CREATE POLICY %I ON %s AS PERMISSIVE FOR ALL TO %I '
                'USING (pg_catalog.current_setting(''ses_common.maintenance'', true) = ''on'') '
                'WITH CHECK (pg_catalog.current_setting(''ses_common.maintenance'', true) = ''on'')',
                c_policy, v_rel.rel, v_rel.owner_role::text);
            EXECUTE v_sql;
            RETURN NEXT v_sql;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.apply_maintenance_policies(regclass) IS
'Make every table and partition of the SES contexts (or only p_table) have row-level security enabled and forced, and the policy "The owner can maintain every row during maintenance" for its owner: rows only while ses_common.maintenance is ''on'' (turned on by the SECURITY DEFINER maintenance functions and triggers). Idempotent; returns the statements it ran.';

REVOKE EXECUTE ON FUNCTION ses_common.apply_maintenance_policies(regclass) FROM PUBLIC;
-- No EXECUTE grant: only the owner of the SES tables can alter them.
