-- Why: what the seed needs to know about the installed SES schema before and
-- after the load: its tables, the per-row reference-check triggers it switches
-- off for the load, the foreign keys to partitioned tables it drops and adds
-- back, the deferred constraints it checks before those are back, and its own
-- plan tables. Read by bbase_workshop.seed; each query follows its `-- name:`
-- line and is run on its own with %(contexts)s bound to the eight SES context
-- schemas.

-- name: ses_tables
SELECT n.nspname, c.relname
FROM pg_class AS c
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
WHERE n.nspname = ANY(%(contexts)s) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY 1, 2;

-- name: reference_triggers
SELECT n.nspname, c.relname, t.tgname
FROM pg_trigger AS t
INNER JOIN pg_class AS c ON t.tgrelid = c.oid
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
WHERE n.nspname = ANY(%(contexts)s) AND NOT c.relispartition AND NOT t.tgisinternal
    AND t.tgname ~ '^tg_.*__check_references$'
ORDER BY 1, 2;

-- name: partitioned_foreign_keys
SELECT
    n.nspname,
    c.relname,
    k.conname,
    pg_get_constraintdef(k.oid) AS definition,
    obj_description(k.oid, 'pg_constraint') AS comment
FROM pg_constraint AS k
INNER JOIN pg_class AS c ON k.conrelid = c.oid
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
INNER JOIN pg_class AS r ON k.confrelid = r.oid
WHERE k.contype = 'f' AND k.conparentid = 0 AND r.relkind = 'p' AND NOT c.relispartition
    AND n.nspname = ANY(%(contexts)s)
ORDER BY 1, 2, 3;

-- name: deferred_constraints
SELECT n.nspname, k.conname
FROM pg_constraint AS k
INNER JOIN pg_namespace AS n ON k.connamespace = n.oid
WHERE k.condeferred AND n.nspname = ANY(%(contexts)s);

-- name: plan_tables
SELECT relname
FROM pg_class
WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r' AND starts_with(relname, 'seed');

-- name: verify_references
SELECT
    r.source_schema,
    r.source_table,
    r.source_column,
    r.target_schema,
    r.target_table,
    r.dangling_rows
FROM ses_common.verify_references() AS r
ORDER BY 1, 2, 3;
