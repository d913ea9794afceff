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
-- Per-table grants (ses_common.table_grants, migration 0180) replace a role's
-- context row for that one table: when a role has rows there for a table,
-- its table privileges on that table are those rows' (column_names NULL), and
-- its column privileges on that table's columns are exactly the rows with
-- column_names; a role with no table_grants row for a table has no column
-- privilege on it. Schema USAGE follows a context row or any table row.
-- Roles not named in the tables, views, materialized views, sequences,
-- functions and default privileges are left alone: the copied blocks did not
-- touch them either.
-- It compares the direct grants in the catalog (aclexplode of nspacl, relacl
-- and attacl) with the tables and issues only the GRANT/REVOKE statements that differ, so
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
    FROM (
        SELECT cg.role_name FROM ses_common.context_grants AS cg
        UNION
        SELECT tg.role_name FROM ses_common.table_grants AS tg
    ) AS g
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles AS r WHERE r.rolname = g.role_name)
    ORDER BY g.role_name
    LIMIT 1;
    IF FOUND THEN
        PERFORM bbase.raise_invalid('SE005', 'role_name', v_role::text,
                                    'ses_common.context_grants names a role that does not exist',
                                    'Create the role, or delete its rows from ses_common.context_grants.');
    END IF;

    SELECT pg_catalog.format('%I.%I', tg.schema_name, tg.table_name) AS table_name, tg.role_name, tg.column_names
    INTO v_target
    FROM ses_common.table_grants AS tg
    INNER JOIN pg_catalog.pg_namespace AS n ON n.nspname = tg.schema_name
    INNER JOIN pg_catalog.pg_class AS c ON c.relnamespace = n.oid AND c.relname = tg.table_name
    CROSS JOIN LATERAL unnest(coalesce(tg.column_names, '{}')) AS col (attname)
    WHERE NOT EXISTS (
        SELECT FROM pg_catalog.pg_attribute AS a
        WHERE a.attrelid = c.oid AND a.attname = col.attname AND a.attnum > 0 AND NOT a.attisdropped
    )
    ORDER BY 1, 2
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ses_common.table_grants names a column that % does not have: %',
            v_target.table_name, v_target.column_names::text
            USING ERRCODE = 'SE100',
                  COLUMN = 'column_names',
                  DETAIL = pg_catalog.format('role %s, columns %s', v_target.role_name, v_target.column_names),
                  HINT = 'Fix the row of ses_common.table_grants (a column renamed or dropped by a migration), then run SELECT * FROM ses_common.apply_context_grants();';
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
            FROM (SELECT cg.role_name FROM ses_common.context_grants AS cg UNION SELECT tg.role_name FROM ses_common.table_grants AS tg) AS r
            CROSS JOIN pg_catalog.pg_namespace AS n
            LEFT JOIN LATERAL (
                SELECT cg.role_name FROM ses_common.context_grants AS cg
                WHERE cg.role_name = r.role_name AND cg.schema_name = v_schema.nspname
                UNION
                SELECT tg.role_name FROM ses_common.table_grants AS tg
                WHERE tg.role_name = r.role_name AND tg.schema_name = v_schema.nspname
                LIMIT 1
            ) AS g ON true
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
                CASE
                    WHEN EXISTS (
                        SELECT FROM ses_common.table_grants AS tg
                        WHERE tg.schema_name = v_schema.nspname AND tg.table_name = c.relname
                          AND tg.role_name = r.role_name
                    ) THEN ARRAY(
                        SELECT tg.privilege FROM ses_common.table_grants AS tg
                        WHERE tg.schema_name = v_schema.nspname AND tg.table_name = c.relname
                          AND tg.role_name = r.role_name AND tg.column_names IS NULL
                    )
                    ELSE coalesce(g.table_privileges, '{}')
                END AS wanted,
                ARRAY(
                    SELECT a.privilege_type
                    FROM pg_catalog.aclexplode(c.relacl) AS a
                    INNER JOIN pg_catalog.pg_roles AS pr ON a.grantee = pr.oid
                    WHERE pr.rolname = r.role_name
                ) AS granted
            FROM pg_catalog.pg_class AS c
            CROSS JOIN (SELECT cg.role_name FROM ses_common.context_grants AS cg UNION SELECT tg.role_name FROM ses_common.table_grants AS tg) AS r
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

        -- Column privileges: exactly the table_grants rows with column_names.
        FOR v_target IN
            WITH wanted AS (
                SELECT c.oid AS rel, tg.role_name, tg.privilege, col.attname
                FROM ses_common.table_grants AS tg
                INNER JOIN pg_catalog.pg_class AS c
                    ON c.relnamespace = v_schema.oid AND c.relname = tg.table_name
                CROSS JOIN LATERAL unnest(tg.column_names) AS col (attname)
                WHERE tg.schema_name = v_schema.nspname AND tg.column_names IS NOT NULL
            ), granted AS (
                SELECT a.attrelid AS rel, pr.rolname AS role_name, e.privilege_type AS privilege, a.attname
                FROM pg_catalog.pg_attribute AS a
                INNER JOIN pg_catalog.pg_class AS c ON a.attrelid = c.oid
                CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) AS e
                INNER JOIN pg_catalog.pg_roles AS pr ON e.grantee = pr.oid
                INNER JOIN (SELECT cg.role_name FROM ses_common.context_grants AS cg UNION SELECT tg.role_name FROM ses_common.table_grants AS tg) AS r ON r.role_name = pr.rolname
                WHERE c.relnamespace = v_schema.oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
            )
            SELECT
                d.rel::regclass AS rel, d.role_name, d.privilege, d.action,
                pg_catalog.string_agg(pg_catalog.quote_ident(d.attname), ', ' ORDER BY d.attname) AS columns
            FROM (
                SELECT w.*, 'GRANT' AS action FROM (SELECT * FROM wanted EXCEPT SELECT * FROM granted) AS w
                UNION ALL
                SELECT x.*, 'REVOKE' FROM (SELECT * FROM granted EXCEPT SELECT * FROM wanted) AS x
            ) AS d
            WHERE d.privilege = ANY(c_table_privileges)
            GROUP BY d.rel, d.role_name, d.privilege, d.action
            ORDER BY d.rel::regclass::text, d.role_name, d.action DESC, d.privilege
        LOOP
            v_sql := pg_catalog.format(
                CASE v_target.action WHEN 'GRANT' THEN '%s %s (%s) ON TABLE %s TO %I' ELSE '%s %s (%s) ON TABLE %s FROM %I' END,
                v_target.action, v_target.privilege, v_target.columns, v_target.rel, v_target.role_name);
            EXECUTE v_sql;
            RETURN NEXT v_sql;
        END LOOP;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.apply_context_grants(name) IS
'Make the grants on the SES context schemas match ses_common.context_grants and ses_common.table_grants (per-table and per-column rows that replace a role''s context row for that table): for every role named there, USAGE on each *_context schema it has a row for and the row''s table privileges on every table of it (not partitions); what no row says is revoked from those roles. Only p_schema when given. Idempotent: returns the GRANT/REVOKE statements it ran, nothing when all was in place. Raises SE100 for a table_grants row naming a column the table does not have, SE005 for a p_schema that is not an installed *_context schema and for a role in the table that does not exist. Run by bbase migrate; run it by hand after changing the table.';

REVOKE EXECUTE ON FUNCTION ses_common.apply_context_grants(name) FROM PUBLIC;
-- No EXECUTE grant: only the owner of the SES tables can grant on them.
