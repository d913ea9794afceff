-- Why: an old key version may be retired (removed from the key set) only when
-- no stored value uses it any more, and archived rows
-- (ses_archive.archived_rows, jsonb copies) are not rotated: this says, per
-- key version, how many live and archived values still use it. Reads key
-- versions only, never a key or a clear value, so it needs no keys.
-- SECURITY DEFINER with the maintenance flag: it counts every row of every
-- table of ses_common.encrypted_columns, whoever asks.
CREATE OR REPLACE FUNCTION ses_common.count_personal_data_key_versions()
RETURNS TABLE (key_version integer, live_values bigint, archived_values bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_parts text [];
    v_col record;
    v_version text;
    v_archive boolean := pg_catalog.to_regclass('ses_archive.archived_rows') IS NOT NULL;
BEGIN
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    FOR v_col IN
        SELECT e.table_schema, e.table_name, e.column_name
        FROM ses_common.encrypted_columns AS e
        WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', e.table_schema, e.table_name)) IS NOT NULL
        ORDER BY 1, 2, 3
    LOOP
        v_version := pg_catalog.left(v_col.column_name, -10) || '_key_version';
        v_parts := v_parts || pg_catalog.format(
            'SELECT %I AS v, 1 AS live, 0 AS archived FROM %I.%I WHERE %I IS NOT NULL',
            v_version, v_col.table_schema, v_col.table_name, v_col.column_name);
        IF v_archive THEN
            v_parts := v_parts || pg_catalog.format(
                'SELECT (a.row_data ->> %L)::integer, 0, 1 FROM ses_archive.archived_rows AS a '
                'WHERE a.source_schema = %L AND a.source_table = %L AND a.row_data ->> %L IS NOT NULL',
                v_version, v_col.table_schema, v_col.table_name, v_col.column_name);
        END IF;
    END LOOP;
    IF v_parts IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT u.v, sum(u.live)::bigint, sum(u.archived)::bigint FROM ('
        || pg_catalog.array_to_string(v_parts, ' UNION ALL ')
        || ') AS u GROUP BY u.v ORDER BY u.v';
END
$$;

COMMENT ON FUNCTION ses_common.count_personal_data_key_versions() IS
'Per key version, how many encrypted personal values use it: live_values in the tables of ses_common.encrypted_columns, archived_values in ses_archive.archived_rows copies (never rotated). Retire a version from the key set only when both are 0. Needs no keys.';

REVOKE ALL ON FUNCTION ses_common.count_personal_data_key_versions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.count_personal_data_key_versions() TO ses_admin_role;
