-- requires: sql/functions/bbase/raise_invalid.sql
-- requires: sql/triggers/ses_common/tg_touch_updated_at.sql, sql/triggers/ses_common/tg_bump_version.sql
-- requires: sql/triggers/ses_common/tg_soft_delete.sql, sql/triggers/ses_common/tg_check_references.sql
-- requires: sql/triggers/ses_common/tg_freeze_partition_key.sql
-- requires: sql/triggers/ses_common/tg_reject_unpartitioned_row.sql
-- Why: one mechanism puts the common machinery on every SES table, instead of
-- 37 copies of the same CREATE TRIGGER statements:
--   tg_<table>__touch_updated_at      BEFORE UPDATE             tg_touch_updated_at
--   tg_<table>__bump_version          BEFORE UPDATE             tg_bump_version
--   tg_<table>__soft_delete           BEFORE DELETE             tg_soft_delete
--   tg_<table>__check_references      AFTER INSERT, per statement,
--       REFERENCING NEW TABLE AS new_rows                       tg_check_references
--   tg_<table>__check_reference_changes  AFTER UPDATE, per statement,
--       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows tg_check_references
--       (both only on tables declaring references in ses_common.cross_context_references;
--       a statement trigger is not cloned onto partitions, and needs not be:
--       no role has privileges on a partition)
--   tg_<table>__freeze_partition_key  BEFORE UPDATE             tg_freeze_partition_key
--       (only partitioned tables; arguments: the partition key columns)
--   tg_<table>_default__reject_row    BEFORE INSERT on the DEFAULT partition
--       (only partitioned tables)          tg_reject_unpartitioned_row
-- Row triggers on a partitioned table are cloned by PostgreSQL onto every
-- partition, present and future.
--
-- It is run by `bbase migrate` (sql/post_install/ses_common/install_common_machinery.sql,
-- replayed after every migration change) for every table of every *_context
-- schema, so a table added by a later migration is covered without further
-- code. Idempotent and cheap when nothing changed: a trigger whose definition
-- is already right is left alone (no lock taken); a wrong or missing one is
-- (re)created (CREATE OR REPLACE TRIGGER, or dropped and created when its
-- level changes between row and statement); the reference checks of a table
-- that no longer declares references are dropped.
-- Why not an event trigger: those need superuser, which Amazon RDS does not give.
-- SECURITY DEFINER: creating triggers needs the TRIGGER privilege on every SES
-- table, which bbase_operator (who may repair a dropped trigger) does not
-- have; the function can only attach this fixed set of machinery.
CREATE OR REPLACE FUNCTION ses_common.attach_common_triggers(p_table regclass DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_rel record;
    v_spec record;
    v_default regclass;
    v_keys text[];
    v_args text;
    v_trigger text;
    v_sql text;
    v_current text;
    v_has_refs boolean;
BEGIN
    IF p_table IS NOT NULL AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        WHERE c.oid = p_table AND n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ) THEN
        PERFORM bbase.raise_invalid('SE005', 'p_table', p_table::text,
                                    'must be a table (not a partition) of an SES context schema');
    END IF;

    FOR v_rel IN
        SELECT c.oid::regclass AS rel, n.nspname AS schema_name, c.relname AS table_name, c.relkind
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        WHERE n.nspname LIKE '%\_context'
          AND c.relkind IN ('r', 'p')
          AND NOT c.relispartition
          AND (p_table IS NULL OR c.oid = p_table)
        ORDER BY n.nspname, c.relname
    LOOP
        IF (
            SELECT count(*) FROM pg_catalog.pg_attribute AS a
            WHERE a.attrelid = v_rel.rel AND NOT a.attisdropped
              AND a.attname IN ('id', 'created_at', 'updated_at', 'deleted_at', 'version')
        ) <> 5 THEN
            PERFORM bbase.raise_invalid('SE005', 'p_table', v_rel.rel::text,
                                        'must have the common columns id, created_at, updated_at, deleted_at, version');
        END IF;

        v_has_refs := EXISTS (
            SELECT FROM ses_common.cross_context_references AS r
            WHERE r.source_schema = v_rel.schema_name AND r.source_table = v_rel.table_name
        );
        v_keys := NULL;
        v_default := NULL;
        IF v_rel.relkind = 'p' THEN
            SELECT array_agg(a.attname::text ORDER BY k.ord), nullif(pt.partdefid, 0)::regclass
            INTO v_keys, v_default
            FROM pg_catalog.pg_partitioned_table AS pt
            CROSS JOIN LATERAL unnest(pt.partattrs::smallint[]) WITH ORDINALITY AS k (attnum, ord)
            INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum
            WHERE pt.partrelid = v_rel.rel
            GROUP BY pt.partdefid;
        END IF;
        v_args := (SELECT string_agg(quote_literal(k), ', ') FROM unnest(v_keys) AS k);

        FOR v_spec IN
            SELECT s.target, s.task, s.events, s.func, s.args
            FROM (
                VALUES
                (v_rel.rel, v_rel.table_name || '__touch_updated_at', 'BEFORE UPDATE', 'tg_touch_updated_at', ''),
                (v_rel.rel, v_rel.table_name || '__bump_version', 'BEFORE UPDATE', 'tg_bump_version', ''),
                (v_rel.rel, v_rel.table_name || '__soft_delete', 'BEFORE DELETE', 'tg_soft_delete', ''),
                (v_rel.rel, v_rel.table_name || '__check_references',
                 'AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT',
                 CASE WHEN v_has_refs THEN 'tg_check_references' END, ''),
                (v_rel.rel, v_rel.table_name || '__check_reference_changes',
                 'AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT',
                 CASE WHEN v_has_refs THEN 'tg_check_references' END, ''),
                (v_rel.rel, v_rel.table_name || '__freeze_partition_key', 'BEFORE UPDATE',
                 CASE WHEN v_keys IS NOT NULL THEN 'tg_freeze_partition_key' END, v_args),
                (v_default, v_rel.table_name || '_default__reject_row', 'BEFORE INSERT',
                 CASE WHEN v_default IS NOT NULL THEN 'tg_reject_unpartitioned_row' END,
                 quote_literal(v_rel.rel::text) || ', ' || v_args)
            ) AS s (target, task, events, func, args)
            WHERE s.target IS NOT NULL
        LOOP
            v_trigger := left('tg_' || v_spec.task, 63);
            SELECT pg_catalog.pg_get_triggerdef(t.oid) INTO v_current
            FROM pg_catalog.pg_trigger AS t
            WHERE t.tgrelid = v_spec.target AND t.tgname = v_trigger;

            IF v_spec.func IS NULL THEN
                IF v_current IS NOT NULL THEN
                    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', v_trigger, v_spec.target);
                    RETURN NEXT 'dropped ' || v_trigger;
                END IF;
                CONTINUE;
            END IF;

            -- events: "<when> <event>" for a row trigger, or the whole clause up
            -- to EXECUTE with a %s for the table (statement triggers).
            v_sql := pg_catalog.format('CREATE TRIGGER %I %s EXECUTE FUNCTION ses_common.%I(%s)',
                                       v_trigger,
                                       CASE WHEN strpos(v_spec.events, '%s') > 0
                                            THEN pg_catalog.format(v_spec.events, v_spec.target)
                                            ELSE pg_catalog.format('%s ON %s FOR EACH ROW', v_spec.events, v_spec.target)
                                       END,
                                       v_spec.func, v_spec.args);
            IF v_current IS DISTINCT FROM v_sql THEN
                IF v_current IS NOT NULL
                   AND (strpos(v_current, 'FOR EACH ROW') > 0) <> (strpos(v_sql, 'FOR EACH ROW') > 0) THEN
                    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', v_trigger, v_spec.target);
                    EXECUTE v_sql;
                ELSE
                    EXECUTE 'CREATE OR REPLACE' || substr(v_sql, length('CREATE') + 1);
                END IF;
                RETURN NEXT v_trigger;
            END IF;
        END LOOP;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.attach_common_triggers(regclass) IS
'Attach the common SES triggers (touch_updated_at, bump_version, soft_delete; the statement-level check_references and check_reference_changes where references are declared; freeze_partition_key and the default partition''s reject_row on partitioned tables) to one table, or to every table of every *_context schema when called without argument. Idempotent: returns the names of the triggers it created, replaced or dropped (prefixed "dropped "); nothing when all were in place. Raises SE005 for a table that is not an SES table with the common columns.';

GRANT EXECUTE ON FUNCTION ses_common.attach_common_triggers(regclass) TO bbase_operator;
