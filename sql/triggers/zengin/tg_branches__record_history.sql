-- Why: every change to the master, from a diff or by hand in psql, must be
-- traceable for a year. Statement-level triggers with transition tables record
-- a whole bulk load in one INSERT … SELECT instead of one insert per row.
-- The diff id comes from the transaction-local setting zengin.diff_id
-- (set by zengin.execute_approved_diffs); it is NULL for manual edits.
CREATE OR REPLACE FUNCTION zengin.tg_branches__record_history()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_diff_id text := nullif(pg_catalog.current_setting('zengin.diff_id', true), '');
BEGIN
    -- @plpgsql_check_options: oldtable = old_rows, newtable = new_rows
    IF TG_OP = 'INSERT' THEN
        INSERT INTO zengin.change_history
            (diff_id, operation, table_name, bank_code, branch_code, record_key,
             old_values, new_values, changed_fields, db_user)
        SELECT v_diff_id, 'INSERT', 'branches', n.bank_code, n.branch_code, n.bank_code || '-' || n.branch_code,
               NULL, pg_catalog.to_jsonb(n), '{bank_code,branch_code,name,kana,hira,roma}', session_user
        FROM new_rows AS n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO zengin.change_history
            (diff_id, operation, table_name, bank_code, branch_code, record_key,
             old_values, new_values, changed_fields, db_user)
        SELECT v_diff_id, 'DELETE', 'branches', o.bank_code, o.branch_code, o.bank_code || '-' || o.branch_code,
               pg_catalog.to_jsonb(o), NULL, '{bank_code,branch_code,name,kana,hira,roma}', session_user
        FROM old_rows AS o;
    ELSE
        INSERT INTO zengin.change_history
            (diff_id, operation, table_name, bank_code, branch_code, record_key,
             old_values, new_values, changed_fields, db_user)
        SELECT v_diff_id, 'UPDATE', 'branches', n.bank_code, n.branch_code, n.bank_code || '-' || n.branch_code,
               pg_catalog.to_jsonb(o), pg_catalog.to_jsonb(n), c.fields, session_user
        FROM old_rows AS o
        JOIN new_rows AS n ON o.bank_code = n.bank_code AND o.branch_code = n.branch_code
        CROSS JOIN LATERAL (
            SELECT pg_catalog.array_remove(ARRAY[
                CASE WHEN o.name IS DISTINCT FROM n.name THEN 'name' END,
                CASE WHEN o.kana IS DISTINCT FROM n.kana THEN 'kana' END,
                CASE WHEN o.hira IS DISTINCT FROM n.hira THEN 'hira' END,
                CASE WHEN o.roma IS DISTINCT FROM n.roma THEN 'roma' END
            ], NULL) AS fields
        ) AS c
        WHERE pg_catalog.cardinality(c.fields) > 0;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION zengin.tg_branches__record_history() IS
'Trigger function (statement level, transition tables): records every inserted, updated (with changed fields; rows where nothing changed are skipped) and deleted zengin.branches row in zengin.change_history, with the diff id from setting zengin.diff_id (NULL for manual edits), session user and transaction id.';

CREATE OR REPLACE TRIGGER tg_branches__record_history_insert
AFTER INSERT ON zengin.branches
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION zengin.tg_branches__record_history();

CREATE OR REPLACE TRIGGER tg_branches__record_history_update
AFTER UPDATE ON zengin.branches
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION zengin.tg_branches__record_history();

CREATE OR REPLACE TRIGGER tg_branches__record_history_delete
AFTER DELETE ON zengin.branches
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION zengin.tg_branches__record_history();

COMMENT ON TRIGGER tg_branches__record_history_insert ON zengin.branches IS
'Records inserted rows in zengin.change_history.';
COMMENT ON TRIGGER tg_branches__record_history_update ON zengin.branches IS
'Records updated rows (old, new, changed fields) in zengin.change_history.';
COMMENT ON TRIGGER tg_branches__record_history_delete ON zengin.branches IS
'Records deleted rows in zengin.change_history.';
