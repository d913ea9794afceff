-- depends: 0172_ses_report_stats
-- Plain (non-partial) indexes under every foreign key of the SES contexts that lacks one.
--
-- Why: the context migrations index their reference columns only for live rows
-- (WHERE deleted_at IS NULL, the design document's common strategy). The
-- queries PostgreSQL runs for a foreign key (ON DELETE CASCADE, RESTRICT
-- checks) do not say deleted_at IS NULL, so they cannot use those partial
-- indexes and read the whole child table once per deleted parent row. Purging
-- (ses_common.purge_deleted) and archiving (ses_common.archive_old_data) delete
-- parents in bulk: without these indexes, archiving a few thousand timesheets
-- scans the 1.4 million attendance rows thousands of times (tens of minutes at
-- bbase ses seed --scale 10; seconds with them).
-- Generic over the catalog, so it covers exactly the keys that lack an index
-- whose leading columns are the key's columns. Each index is named
-- <table>_<columns>_fk_idx and commented, so the rollback drops only these.

DO $fk_indexes$
DECLARE
    v_fk record;
    v_name text;
BEGIN
    FOR v_fk IN
        SELECT
            n.nspname AS schema_name,
            c.relname AS table_name,
            k.conname,
            array_agg(a.attname ORDER BY x.ord) AS columns
        FROM pg_catalog.pg_constraint AS k
        INNER JOIN pg_catalog.pg_class AS c ON k.conrelid = c.oid
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS x (attnum, ord)
        INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = x.attnum
        WHERE k.contype = 'f'
            AND k.conparentid = 0
            AND NOT c.relispartition
            AND n.nspname LIKE '%\_context'
            AND NOT EXISTS (
                SELECT FROM pg_catalog.pg_index AS i
                WHERE i.indrelid = k.conrelid
                    AND i.indpred IS NULL
                    AND i.indexprs IS NULL
                    AND (i.indkey::int2 [])[0:cardinality(k.conkey) - 1] = k.conkey
            )
        GROUP BY n.nspname, c.relname, k.conname
        ORDER BY n.nspname, c.relname, k.conname
    LOOP
        v_name := left(v_fk.table_name || '_' || array_to_string(v_fk.columns, '_'), 56) || '_fk_idx';
        EXECUTE format('CREATE INDEX %I ON %I.%I (%s)', v_name, v_fk.schema_name, v_fk.table_name,
                       (SELECT string_agg(quote_ident(col), ', ') FROM unnest(v_fk.columns) AS col));
        EXECUTE format('COMMENT ON INDEX %I.%I IS %L', v_fk.schema_name, v_name,
                       format('Supports foreign key %s (cascades, RESTRICT checks, purge, archive); migration 0173.',
                              v_fk.conname));
    END LOOP;
END
$fk_indexes$;
