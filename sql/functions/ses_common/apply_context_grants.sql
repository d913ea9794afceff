-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: the grants of the SES roles on the *_context schemas are data
-- (ses_common.context_grants, migration 0174); this one function makes the
-- catalog match that data, instead of eight copies of the same GRANT block in
-- sql/schemas/<context>.sql. For every role named in the table and every
-- context schema (or only p_schema):
--   USAGE on the schema          when the role has a row for it, else revoked;
--   the row's table_privileges   on every table of the schema (relkind r and
--                                p, partitioned parents but not partitions),
--                                every other table privilege revoked.
-- Roles not named in the table, views, materialized views, sequences,
-- functions and default privileges are left alone: the copied blocks did not
-- touch them either.
-- It compares the direct grants in the catalog (aclexplode of nspacl/relacl)
-- with the table and issues only the GRANT/REVOKE statements that differ, so
-- a second call changes nothing and returns no row.
-- Run by `bbase migrate` (sql/post_install/ses_common/apply_context_grants.sql)
-- after every change of the applied migrations, so a table a later migration
-- adds gets its grants on the same run.
-- SECURITY INVOKER: only the owner of the SES tables (the role that migrates)
-- may grant on them; the function gives nobody more rights than that.
CREATE OR REPLACE FUNCTION ses_common.apply_context_grants(p_schema name DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    c_table_privileges CONSTANT text[] := ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
    v_role name;
    v_schema record;
    v_target record;
    v_wanted text[];
    v_granted text[];
    v_add text;
    v_drop text;
    v_sql text;
BEGIN
    IF p_schema IS NOT NULL AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_namespace AS n
        WHERE n.nspname = p_schema AND n.nspname LIKE '%\_context'
    ) THEN
        PERFORM bbase.raise_invalid('SE005', 'p_schema', p_schema::text,
                                    'must be an installed SES context schema (<name>_context)');
    END IF;

    SELECT g.role_name INTO v_role
    FROM ses_common.context_grants AS g
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles AS r WHERE r.rolname = g.role_name)
    ORDER BY g.role_name
    LIMIT 1;
    IF FOUND THEN
        PERFORM bbase.raise_invalid('SE005', 'role_name', v_role::text,
                                    'ses_common.context_grants names a role that does not exist',
                                    'Create the role, or delete its rows from ses_common.context_grants.');
    END IF;

    FOR v_schema IN
        SELECT n.oid, n.nspname
        FROM pg_catalog.pg_namespace AS n
        WHERE n.nspname LIKE '%\_context' AND (p_schema IS NULL OR n.nspname = p_schema)
        ORDER BY n.nspname
    LOOP
        -- Schema USAGE: granted to the roles with a row, revoked from the other managed roles.
        FOR v_target IN
            SELECT
                r.role_name,
                g.role_name IS NOT NULL AS wanted,
                EXISTS (
                    SELECT FROM pg_catalog.aclexplode(n.nspacl) AS a
                    INNER JOIN pg_catalog.pg_roles AS pr ON a.grantee = pr.oid
                    WHERE pr.rolname = r.role_name AND a.privilege_type = 'USAGE'
                ) AS granted
            FROM (SELECT DISTINCT cg.role_name FROM ses_common.context_grants AS cg) AS r
            CROSS JOIN pg_catalog.pg_namespace AS n
            LEFT JOIN ses_common.context_grants AS g
                ON g.role_name = r.role_name AND g.schema_name = v_schema.nspname
            WHERE n.oid = v_schema.oid
            ORDER BY r.role_name
        LOOP
            IF v_target.wanted AND NOT v_target.granted THEN
                v_sql := pg_catalog.format('GRANT USAGE ON SCHEMA %I TO %I', v_schema.nspname, v_target.role_name);
            ELSIF v_target.granted AND NOT v_target.wanted THEN
                v_sql := pg_catalog.format('REVOKE USAGE ON SCHEMA %I FROM %I', v_schema.nspname, v_target.role_name);
            ELSE
                CONTINUE;
            END IF;
            EXECUTE v_sql;
            RETURN NEXT v_sql;
        END LOOP;

        -- Table privileges on every table of the schema (not partitions).
        FOR v_target IN
            SELECT
                c.oid AS rel,
                c.relname,
                r.role_name,
                coalesce(g.table_privileges, '{}') AS wanted,
                ARRAY(
                    SELECT a.privilege_type
                    FROM pg_catalog.aclexplode(c.relacl) AS a
                    INNER JOIN pg_catalog.pg_roles AS pr ON a.grantee = pr.oid
                    WHERE pr.rolname = r.role_name
                ) AS granted
            FROM pg_catalog.pg_class AS c
            CROSS JOIN (SELECT DISTINCT cg.role_name FROM ses_common.context_grants AS cg) AS r
            LEFT JOIN ses_common.context_grants AS g
                ON g.role_name = r.role_name AND g.schema_name = v_schema.nspname
            WHERE c.relnamespace = v_schema.oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname, r.role_name
        LOOP
            v_wanted := v_target.wanted;
            v_granted := v_target.granted;
            -- Privilege keywords come from the fixed list only, in its order.
            v_add := (
                SELECT string_agg(p.privilege, ', ' ORDER BY p.ord)
                FROM unnest(c_table_privileges) WITH ORDINALITY AS p (privilege, ord)
                WHERE p.privilege = ANY(v_wanted) AND NOT p.privilege = ANY(v_granted)
            );
            v_drop := (
                SELECT string_agg(p.privilege, ', ' ORDER BY p.ord)
                FROM unnest(c_table_privileges) WITH ORDINALITY AS p (privilege, ord)
                WHERE p.privilege = ANY(v_granted) AND NOT p.privilege = ANY(v_wanted)
            );
            IF v_add IS NOT NULL THEN
                v_sql := pg_catalog.format('GRANT %s ON TABLE %I.%I TO %I',
                                           v_add, v_schema.nspname, v_target.relname, v_target.role_name);
                EXECUTE v_sql;
                RETURN NEXT v_sql;
            END IF;
            IF v_drop IS NOT NULL THEN
                v_sql := pg_catalog.format('REVOKE %s ON TABLE %I.%I FROM %I',
                                           v_drop, v_schema.nspname, v_target.relname, v_target.role_name);
                EXECUTE v_sql;
                RETURN NEXT v_sql;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.apply_context_grants(name) IS
'Make the grants on the SES context schemas match ses_common.context_grants: for every role named there, USAGE on each *_context schema it has a row for and the row''s table privileges on every table of it (not partitions); what no row says is revoked from those roles. Only p_schema when given. Idempotent: returns the GRANT/REVOKE statements it ran, nothing when all was in place. Raises SE005 for a p_schema that is not an installed *_context schema and for a role in the table that does not exist. Run by bbase migrate; run it by hand after changing the table.';

REVOKE EXECUTE ON FUNCTION ses_common.apply_context_grants(name) FROM PUBLIC;
-- No EXECUTE grant: only the owner of the SES tables can grant on them.
