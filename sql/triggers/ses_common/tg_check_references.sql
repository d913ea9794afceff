-- Why: the cross-context reference check of the design document
-- (validate_contract_project_reference), written once for every table: the
-- references a table makes are declared as data in
-- ses_common.cross_context_references by its context's migration, and
-- attach_common_triggers attaches two statement-level triggers to each table
-- that declares any: tg_<table>__check_references (AFTER INSERT, transition
-- table new_rows) and tg_<table>__check_reference_changes (AFTER UPDATE,
-- old_rows and new_rows).
--
-- Rules:
-- * a NULL reference is not checked (optional references);
-- * on UPDATE only references whose value changed are checked (rows matched
--   on id), so a row that points at a since-deleted project can still be
--   edited;
-- * a reference to a missing or soft-deleted row fails the statement with
--   SE002, "Referenced <label> does not exist: <id>" (the first such id);
-- * a reference whose target table is not installed in this database is not
--   checked. A context installed on its own database (Database per Service)
--   cannot see the others; there the events between services keep references
--   consistent, as the document intends. Checking "when the schema exists"
--   keeps the integrated installation strict without making a lone context
--   unusable.
-- Once per statement, not per row: one anti-join per declared reference over
-- the statement's rows. Per row, the check planned a dynamic query for each
-- reference of each row (0.3-9 ms: a lookup by id alone must visit every
-- partition of a partitioned target), which made a monthly close of 1,000
-- engineers spend most of its time here; set-based, a close of any size
-- costs a few queries. The statement fails as it did before, only after its
-- rows are written instead of before (the transaction is rolled back alike).
-- Partitions carry no copy: statement triggers fire on the table a
-- statement names, and no role has privileges on a partition (writes go
-- through the partitioned table).
-- The check does not lock the referenced rows: a concurrent soft delete of
-- one can still commit (the same guarantee as the document's
-- application-level checks, without making every project update wait for
-- contract inserts).
-- SECURITY DEFINER: reads the registry and the referenced tables whatever the
-- caller's grants.
CREATE OR REPLACE FUNCTION ses_common.tg_check_references()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_root regclass := coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::regclass);
    v_schema text;
    v_table text;
    v_ref record;
    v_id uuid;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT n.nspname, c.relname INTO v_schema, v_table
    FROM pg_catalog.pg_class AS c
    INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
    WHERE c.oid = v_root;

    FOR v_ref IN
        SELECT r.source_column, r.target_schema, r.target_table, r.target_label
        FROM ses_common.cross_context_references AS r
        WHERE r.source_schema = v_schema AND r.source_table = v_table
          AND r.target_schema LIKE '%\_context'
          AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', r.target_schema, r.target_table)) IS NOT NULL
        ORDER BY r.source_column
    LOOP
        EXECUTE pg_catalog.format(
            'SELECT n.%1$I FROM new_rows AS n WHERE n.%1$I IS NOT NULL %2$s'
            ' AND NOT EXISTS (SELECT FROM %3$I.%4$I AS t WHERE t.id = n.%1$I AND t.deleted_at IS NULL)'
            ' ORDER BY 1 LIMIT 1',
            v_ref.source_column,
            CASE WHEN TG_OP = 'UPDATE' THEN pg_catalog.format(
                'AND NOT EXISTS (SELECT FROM old_rows AS o WHERE o.id = n.id AND o.%1$I = n.%1$I)',
                v_ref.source_column) ELSE '' END,
            v_ref.target_schema, v_ref.target_table
        ) INTO v_id;
        IF v_id IS NOT NULL THEN
            RAISE EXCEPTION 'Referenced % does not exist: %', v_ref.target_label, v_id
                USING ERRCODE = 'SE002',
                      DETAIL = pg_catalog.format('%s.%s.%s = %s has no live row (deleted_at IS NULL) in %s.%s',
                                                 v_schema, v_table, v_ref.source_column, v_id,
                                                 v_ref.target_schema, v_ref.target_table),
                      HINT = pg_catalog.format('Create the %s first, or refer to one that is not deleted.',
                                               v_ref.target_label),
                      SCHEMA = v_schema,
                      TABLE = v_table,
                      COLUMN = v_ref.source_column;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ses_common.tg_check_references() IS
'Trigger function (AFTER INSERT / AFTER UPDATE FOR EACH STATEMENT with transition tables new_rows and old_rows, on SES tables that declare references in ses_common.cross_context_references): each non-NULL, new or changed uuid reference of the statement''s rows must name a live row of the target table, else SE002 "Referenced <label> does not exist: <id>". Not checked when the target table is not installed in this database.';
