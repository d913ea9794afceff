-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: the purge path of the soft delete. Rows soft-deleted before a cutoff are
-- removed for good (after the archive has copied what must be kept); their
-- children in the same context go with them through ON DELETE CASCADE.
-- It holds a purge permit (a row of ses_common.purge_permits) for the DELETE
-- only (the soft-delete trigger then lets the rows go) and removes it after,
-- unless the caller held one already. Live rows
-- (deleted_at IS NULL) are never touched by it.
-- SECURITY DEFINER: the operators who run retention have no DELETE grant on
-- the SES tables (and row-level security must not hide archived rows from the
-- purge); the function removes nothing but rows already soft-deleted before
-- the cutoff, and their same-context children.
CREATE OR REPLACE FUNCTION ses_common.purge_deleted(p_table regclass, p_deleted_before timestamptz)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_mine boolean;
    v_count bigint;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    IF NOT EXISTS (
        SELECT FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'deleted_at'
        WHERE c.oid = p_table AND n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')
    ) THEN
        PERFORM bbase.raise_invalid('SE005', 'p_table', p_table::text,
                                    'must be an SES table with a deleted_at column');
    END IF;
    IF p_deleted_before IS NULL THEN
        PERFORM bbase.raise_invalid('SE005', 'p_deleted_before', p_deleted_before::text, 'must be a timestamp');
    END IF;

    INSERT INTO ses_common.purge_permits DEFAULT VALUES
    ON CONFLICT (xact_id) DO NOTHING
    RETURNING true INTO v_mine;
    EXECUTE pg_catalog.format('DELETE FROM %s WHERE deleted_at < $1', p_table) USING p_deleted_before;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_mine THEN
        DELETE FROM ses_common.purge_permits AS p WHERE p.xact_id = pg_catalog.pg_current_xact_id();
    END IF;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION ses_common.purge_deleted(regclass, timestamptz) IS
'Purge: really delete the rows of an SES table that were soft-deleted before p_deleted_before (and, by ON DELETE CASCADE, their children). Returns how many rows of the table were removed. Raises SE005 for a table outside the SES contexts.';

GRANT EXECUTE ON FUNCTION ses_common.purge_deleted(regclass, timestamptz) TO bbase_operator, ses_admin_role;
