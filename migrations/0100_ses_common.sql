-- depends: 0001_bbase_foundation
-- SES common machinery: the ses_common schema, its two registries, the helpers
-- every context migration calls, and the SES group roles.
--
-- Why this split between this migration and sql/:
-- * Migrations may not depend on replaceable objects (they are replayed after
--   migrations). So what a context migration *calls while it runs* lives here:
--   ses_common.add_common_indexes and ses_common.comment_common_columns.
-- * What runs *after* install is replaceable (sql/functions/ses_common/): the
--   trigger functions, validate_cross_context_reference, the partition
--   maintenance, and ses_common.attach_common_triggers. The last replayed file
--   of ses_common (sql/triggers/ses_common/install_common_machinery.sql) calls
--   attach_common_triggers() and create_partitions_ahead() for every SES table,
--   idempotently. One mechanism attaches the same triggers to all tables, a
--   trigger function fix ships like any other function, and a table added by a
--   later migration gets its triggers on the same `bbase migrate` (any migration
--   changes the migration state, which replays every file). No event trigger:
--   they need superuser, which Amazon RDS does not give.
-- * Context migrations declare data, not code: their cross-context references
--   (ses_common.cross_context_references) and their partitioning plans
--   (ses_common.partitioned_tables). The machinery reads both.
--
-- Roles are cluster-wide: created only when missing, never dropped on rollback.

CREATE SCHEMA ses_common;

REVOKE ALL ON SCHEMA ses_common FROM PUBLIC;

DO $roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY[
        'ses_admin_role', 'ses_project_manager_role', 'ses_engineer_role',
        'ses_customer_role', 'ses_finance_role'
    ]
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = v_role) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
        END IF;
    END LOOP;
END
$roles$;

CREATE TABLE ses_common.cross_context_references (
    source_schema text NOT NULL CHECK (source_schema LIKE '%\_context'),
    source_table text NOT NULL,
    source_column text NOT NULL,
    target_schema text NOT NULL CHECK (target_schema LIKE '%\_context'),
    target_table text NOT NULL,
    target_label text NOT NULL CHECK (target_label ~ '^[a-z][a-z ]*$'),
    PRIMARY KEY (source_schema, source_table, source_column),
    CONSTRAINT cross_context_references_cross_context CHECK (source_schema <> target_schema)
);

COMMENT ON TABLE ses_common.cross_context_references IS
'UUID references between bounded contexts (no foreign keys cross a context). Each row makes tg_<table>__check_references verify, on INSERT and on UPDATE of the column, that the referenced row exists and is not soft-deleted. Rows are declared by the migration of the referencing (source) context.';
COMMENT ON COLUMN ses_common.cross_context_references.source_schema IS 'Schema of the referencing table, e.g. contract_context.';
COMMENT ON COLUMN ses_common.cross_context_references.source_table IS 'Referencing table (the partitioned parent for partitioned tables), e.g. contracts.';
COMMENT ON COLUMN ses_common.cross_context_references.source_column IS 'uuid column holding the reference, e.g. project_id.';
COMMENT ON COLUMN ses_common.cross_context_references.target_schema IS 'Schema of the referenced table, e.g. project_context. When it is absent from the database (a context installed alone), the reference is not checked.';
COMMENT ON COLUMN ses_common.cross_context_references.target_table IS 'Referenced table, e.g. projects; matched on its id column and deleted_at IS NULL.';
COMMENT ON COLUMN ses_common.cross_context_references.target_label IS 'Noun used in the error message: "Referenced <label> does not exist: <id>".';

CREATE TABLE ses_common.partitioned_tables (
    table_schema text NOT NULL CHECK (table_schema LIKE '%\_context'),
    table_name text NOT NULL,
    key_kind text NOT NULL CHECK (key_kind IN ('YEAR_MONTH', 'YEAR', 'TIMESTAMP_MONTH')),
    periods_ahead smallint NOT NULL CHECK (periods_ahead BETWEEN 0 AND 36),
    PRIMARY KEY (table_schema, table_name)
);

COMMENT ON TABLE ses_common.partitioned_tables IS
'Partitioning plan of each partitioned SES table, read by ses_common.create_partitions and create_partitions_ahead. Declared by the migration that creates the table.';
COMMENT ON COLUMN ses_common.partitioned_tables.table_schema IS 'Schema of the partitioned table.';
COMMENT ON COLUMN ses_common.partitioned_tables.table_name IS 'Partitioned (parent) table.';
COMMENT ON COLUMN ses_common.partitioned_tables.key_kind IS 'YEAR_MONTH: monthly on (year smallint, month smallint), partitions <table>_YYYY_MM; YEAR: yearly on (year smallint), partitions <table>_YYYY; TIMESTAMP_MONTH: monthly on a timestamptz, month bounds at midnight Asia/Tokyo, partitions <table>_YYYY_MM.';
COMMENT ON COLUMN ses_common.partitioned_tables.periods_ahead IS 'How many periods (months or years) after the current one create_partitions_ahead keeps created.';

-- Helper called by every context migration: the document's common index
-- strategy (created_at / updated_at of live rows, deleted_at of deleted rows,
-- and every uuid reference column *_id of live rows), named idx_<table>_<column>.
CREATE FUNCTION ses_common.add_common_indexes(p_table regclass)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_schema text;
    v_table text;
    v_column text;
    v_count integer := 0;
BEGIN
    SELECT n.nspname, c.relname INTO v_schema, v_table
    FROM pg_catalog.pg_class AS c
    INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
    WHERE c.oid = p_table;

    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I (created_at) WHERE deleted_at IS NULL',
                   'idx_' || v_table || '_created_at', v_schema, v_table);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I (updated_at) WHERE deleted_at IS NULL',
                   'idx_' || v_table || '_updated_at', v_schema, v_table);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I (deleted_at) WHERE deleted_at IS NOT NULL',
                   'idx_' || v_table || '_deleted_at', v_schema, v_table);
    v_count := 3;

    FOR v_column IN
        SELECT a.attname
        FROM pg_catalog.pg_attribute AS a
        WHERE a.attrelid = p_table
          AND a.attnum > 0
          AND NOT a.attisdropped
          AND a.atttypid = 'uuid'::regtype
          AND a.attname LIKE '%\_id'
        ORDER BY a.attnum
    LOOP
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I (%I) WHERE deleted_at IS NULL',
                       left('idx_' || v_table || '_' || v_column, 63), v_schema, v_table, v_column);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION ses_common.add_common_indexes(regclass) IS
'Create the design document''s common indexes on one SES table (idempotent): idx_<table>_created_at and idx_<table>_updated_at on live rows, idx_<table>_deleted_at on deleted rows, and idx_<table>_<column> on live rows for every uuid column named *_id. Returns how many index definitions were ensured. Called by the context migrations.';

-- Helper called by every context migration: the same comment on the five
-- common columns of every table, so the wording cannot drift.
CREATE FUNCTION ses_common.comment_common_columns(p_table regclass)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_name text := p_table::text;
BEGIN
    EXECUTE format('COMMENT ON COLUMN %s.id IS %L', v_name,
                   'Surrogate key (gen_random_uuid()); other contexts refer to the row by it.');
    EXECUTE format('COMMENT ON COLUMN %s.created_at IS %L', v_name,
                   'When the row was created (transaction time); never changes.');
    EXECUTE format('COMMENT ON COLUMN %s.updated_at IS %L', v_name,
                   'When the row was last changed (transaction time), kept by tg_*__touch_updated_at.');
    EXECUTE format('COMMENT ON COLUMN %s.deleted_at IS %L', v_name,
                   'When the row was soft-deleted (a DELETE sets it, tg_*__soft_delete); NULL while live.');
    EXECUTE format('COMMENT ON COLUMN %s.version IS %L', v_name,
                   'Row version for optimistic locking, 1 on insert, +1 per update (tg_*__bump_version). '
                   || 'An UPDATE that sets version to anything but the current value fails with SE001.');
END
$$;

COMMENT ON FUNCTION ses_common.comment_common_columns(regclass) IS
'Set the standard comments on the common columns id, created_at, updated_at, deleted_at and version of one SES table. Called by the context migrations.';
