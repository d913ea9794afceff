-- requires: sql/functions/ses_common/validate_cross_context_reference.sql
-- Why: the cross-context reference check of the design document
-- (validate_contract_project_reference), written once for every table: the
-- references a table makes are declared as data in
-- ses_common.cross_context_references by its context's migration, and
-- attach_common_triggers attaches tg_<table>__check_references (BEFORE INSERT
-- OR UPDATE) to each table that declares any.
--
-- Rules:
-- * a NULL reference is not checked (optional references);
-- * on UPDATE only references whose value changed are checked, so a row that
--   points at a since-deleted project can still be edited;
-- * a reference to a missing or soft-deleted row fails with SE002,
--   "Referenced <label> does not exist: <id>";
-- * a reference whose target table is not installed in this database is not
--   checked. A context installed on its own database (Database per Service)
--   cannot see the others; there the events between services keep references
--   consistent, as the document intends. Checking "when the schema exists"
--   keeps the integrated installation strict without making a lone context
--   unusable.
-- The check does not lock the referenced row: a concurrent soft delete of it
-- can still commit (the same guarantee as the document's application-level
-- checks, without making every project update wait for contract inserts).
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
    v_new jsonb := pg_catalog.to_jsonb(NEW);
    v_old jsonb;
    v_ref record;
    v_id uuid;
    v_exists boolean;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    SELECT n.nspname, c.relname INTO v_schema, v_table
    FROM pg_catalog.pg_class AS c
    INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
    WHERE c.oid = v_root;
    IF TG_OP = 'UPDATE' THEN
        v_old := pg_catalog.to_jsonb(OLD);
    END IF;

    FOR v_ref IN
        SELECT r.source_column, r.target_schema, r.target_table, r.target_label
        FROM ses_common.cross_context_references AS r
        WHERE r.source_schema = v_schema AND r.source_table = v_table
        ORDER BY r.source_column
    LOOP
        v_id := (v_new ->> v_ref.source_column)::uuid;
        CONTINUE WHEN v_id IS NULL;
        CONTINUE WHEN TG_OP = 'UPDATE'
            AND (v_old ->> v_ref.source_column) IS NOT DISTINCT FROM (v_new ->> v_ref.source_column);
        v_exists := ses_common.validate_cross_context_reference(v_ref.target_schema, v_ref.target_table, v_id);
        CONTINUE WHEN v_exists IS NULL;
        IF NOT v_exists THEN
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
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION ses_common.tg_check_references() IS
'Trigger function (BEFORE INSERT OR UPDATE, SES tables that declare references in ses_common.cross_context_references): each non-NULL, new or changed uuid reference must name a live row of the target table, else SE002 "Referenced <label> does not exist: <id>". Not checked when the target table is not installed in this database.';
