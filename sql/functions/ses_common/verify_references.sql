-- Why: tg_check_references checks each cross-context reference row by row when
-- it is written; a bulk load (the generated SES data, a restore of one
-- context) switches that trigger off for speed, and then needs the same rule
-- checked afterwards, set-based, in one pass per declared reference. For every
-- row of ses_common.cross_context_references it counts the live source rows
-- (deleted_at IS NULL) with a non-NULL reference that names no live target row,
-- and returns one row per reference that has any. No rows: every reference
-- resolves.
-- * A reference whose source or target table is not installed in this database
--   (a context installed on its own) is skipped, as tg_check_references skips it.
-- * SECURITY INVOKER: the caller needs SELECT on the SES tables and sees them
--   through its row-level security policies (admins: every row); it reads
--   nothing they could not read themselves. The Zengin roles read no SES
--   table since migration 0180, so it is granted to ses_admin_role only.
-- * Names come from the registry and go through format('%I').
CREATE OR REPLACE FUNCTION ses_common.verify_references()
RETURNS TABLE (
    source_schema text,
    source_table text,
    source_column text,
    target_schema text,
    target_table text,
    dangling_rows bigint
)
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_ref record;
    v_count bigint;
BEGIN
    FOR v_ref IN
        SELECT r.source_schema, r.source_table, r.source_column, r.target_schema, r.target_table
        FROM ses_common.cross_context_references AS r
        ORDER BY r.source_schema, r.source_table, r.source_column
    LOOP
        CONTINUE WHEN pg_catalog.to_regclass(
            pg_catalog.format('%I.%I', v_ref.source_schema, v_ref.source_table)) IS NULL
            OR pg_catalog.to_regclass(
                pg_catalog.format('%I.%I', v_ref.target_schema, v_ref.target_table)) IS NULL;
        EXECUTE pg_catalog.format(
            'SELECT count(*) FROM %I.%I AS s WHERE s.%I IS NOT NULL AND s.deleted_at IS NULL '
            'AND NOT EXISTS (SELECT FROM %I.%I AS t WHERE t.id = s.%I AND t.deleted_at IS NULL)',
            v_ref.source_schema, v_ref.source_table, v_ref.source_column,
            v_ref.target_schema, v_ref.target_table, v_ref.source_column
        ) INTO v_count;
        IF v_count > 0 THEN
            source_schema := v_ref.source_schema;
            source_table := v_ref.source_table;
            source_column := v_ref.source_column;
            target_schema := v_ref.target_schema;
            target_table := v_ref.target_table;
            dangling_rows := v_count;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.verify_references() IS
'Set-based check of every declared cross-context reference (ses_common.cross_context_references): one row per reference whose live source rows name an id that no live target row has, with how many such rows (dangling_rows). No rows: every reference resolves. References whose source or target table is not installed here are skipped. Run it after a load that had tg_<table>__check_references switched off.';

REVOKE EXECUTE ON FUNCTION ses_common.verify_references() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.verify_references() TO ses_admin_role;
