-- Why: every partitioned SES table needs its partitions for the whole generated
-- window (from 90 days before its first month, for rows dated before their
-- period) before the first row goes in; the product's own maintenance function
-- creates them.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: partitions for the whole window
SELECT ses_common.create_partitions(
    r.oid::regclass,
    (SELECT sc.window_start - 90 FROM seed_const AS sc),
    (SELECT sc.this_month FROM seed_const AS sc)
)
FROM ses_common.partitioned_tables AS p
INNER JOIN pg_namespace AS n ON p.table_schema = n.nspname
INNER JOIN pg_class AS r ON n.oid = r.relnamespace AND p.table_name = r.relname;
