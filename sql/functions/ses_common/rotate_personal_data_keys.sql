-- Why: a new key version must reach every stored value while the system
-- runs. One call re-encrypts up to p_batch_size rows per table whose smallest
-- key version is below the current one (found by the index
-- <table>_personal_data_key_version_idx of migration 0181, whose LEAST lists
-- the version columns in the order of their ciphertext column names, as
-- here), then reports how many remain. Rows are taken FOR UPDATE SKIP LOCKED:
-- two rotations at once take different rows, and a row a user is editing is
-- taken by a later call. Each call is short; the caller commits and calls
-- again until nothing remains (bbase ses rotate-keys). Writers always encrypt
-- under the current version, so they never add work. The UPDATE is a change
-- like any other: version and updated_at move (an editor holding the old
-- version gets SE001 and re-reads). Soft-deleted rows are rotated too: they
-- still hold personal data. Copies in ses_archive.archived_rows are not
-- rotated: keep a key version while archived rows use it.
-- requires: sql/functions/ses_common/reencrypt_personal_data.sql, sql/functions/ses_common/read_current_key_version.sql
CREATE OR REPLACE FUNCTION ses_common.rotate_personal_data_keys(p_batch_size integer DEFAULT 1000)
RETURNS TABLE (table_name text, rotated bigint, remaining bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_current integer := ses_common.read_current_key_version();
    v_table record;
    v_least text;
    v_set text;
BEGIN
    IF p_batch_size IS NULL OR p_batch_size NOT BETWEEN 1 AND 100000 THEN
        RAISE EXCEPTION 'p_batch_size: % is not between 1 and 100000', coalesce(p_batch_size::text, 'NULL')
            USING ERRCODE = 'SE122', DETAIL = pg_catalog.format('field=p_batch_size value=%s', p_batch_size);
    END IF;
    -- Every row, as the owner, also under forced row-level security: the owner's
    -- maintenance policy admits rows while this transaction-local flag is on (the
    -- row-level security machinery's convention for SECURITY DEFINER maintenance).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    FOR v_table IN
        SELECT e.table_schema, e.table_name,
               pg_catalog.array_agg(e.column_name::text ORDER BY e.column_name) AS columns,
               pg_catalog.array_agg(e.data_class ORDER BY e.column_name) AS classes
        FROM ses_common.encrypted_columns AS e
        WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', e.table_schema, e.table_name)) IS NOT NULL
        GROUP BY e.table_schema, e.table_name
        ORDER BY e.table_schema, e.table_name
    LOOP
        SELECT 'LEAST(' || pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.left(c, -10) || '_key_version'), ', '
                                               ORDER BY o) || ')',
               pg_catalog.string_agg(pg_catalog.format('%I = ses_common.reencrypt_personal_data(%L, t.%I)',
                                                       c, v_table.classes[o], c), ', ' ORDER BY o)
        INTO v_least, v_set
        FROM pg_catalog.unnest(v_table.columns) WITH ORDINALITY AS u (c, o);
        table_name := v_table.table_schema || '.' || v_table.table_name;
        EXECUTE pg_catalog.format(
            'WITH picked AS (SELECT id FROM %1$I.%2$I WHERE %3$s < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) '
            'UPDATE %1$I.%2$I AS t SET %4$s FROM picked WHERE t.id = picked.id',
            v_table.table_schema, v_table.table_name, v_least, v_set)
        USING v_current, p_batch_size;
        GET DIAGNOSTICS rotated = ROW_COUNT;
        EXECUTE pg_catalog.format('SELECT count(*) FROM %I.%I WHERE %s < $1',
                                  v_table.table_schema, v_table.table_name, v_least)
        INTO remaining USING v_current;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.rotate_personal_data_keys(integer) IS
'Re-encrypts, under the current key version loaded in this transaction, up to p_batch_size rows per table of ses_common.encrypted_columns whose values are not all at that version (version 0 clear text included); returns per table the rows rotated and the rows remaining (remaining counts rows other transactions hold locked too). Call, commit, repeat until remaining is 0 everywhere (bbase ses rotate-keys). Safe concurrently with writers and with itself (FOR UPDATE SKIP LOCKED). SE120 without keys, SE122 batch size outside 1-100000.';

REVOKE ALL ON FUNCTION ses_common.rotate_personal_data_keys(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.rotate_personal_data_keys(integer) TO ses_admin_role;
