-- requires: sql/functions/zengin/current_diff_id.sql
-- Why: every change to the master, from a diff or by hand in psql, must be
-- traceable for a year. Statement-level triggers with transition tables record
-- a whole bulk load in one INSERT … SELECT instead of one insert per row.
-- The diff id comes from the transaction-local setting zengin.diff_id
-- (set by zengin.execute_approved_diffs), believed only for a diff executing
-- in this transaction (zengin.current_diff_id, ZG022 otherwise); it is NULL
-- for manual edits.
-- old/new values hold the data columns (codes, name, kana, hira, roma), built
-- with jsonb_object(keys, values): half the cost of jsonb_build_object.
CREATE OR REPLACE FUNCTION zengin.tg_branches__record_history()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_diff_id text := zengin.current_diff_id();
    -- Computed once per statement, not per row (column defaults would be per row).
    v_at timestamptz := pg_catalog.now();
    v_txid bigint := pg_catalog.txid_current();
    v_user text := session_user::text;
    v_all_fields text[] := '{bank_code,branch_code,name,kana,hira,roma}';
BEGIN
    -- @plpgsql_check_options: oldtable = old_rows, newtable = new_rows
    IF TG_OP = 'INSERT' THEN
        INSERT INTO zengin.change_history
            (diff_id, operation, table_name, bank_code, branch_code, record_key,
             old_values, new_values, changed_fields, db_user, changed_at, txid)
        SELECT v_diff_id, 'INSERT', 'branches', n.bank_code, n.branch_code, n.bank_code || '-' || n.branch_code,
               NULL, pg_catalog.jsonb_object(v_all_fields,
                   ARRAY[n.bank_code, n.branch_code, n.name, n.kana, n.hira, n.roma]),
               v_all_fields, v_user, v_at, v_txid
        FROM new_rows AS n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO zengin.change_history
            (diff_id, operation, table_name, bank_code, branch_code, record_key,
             old_values, new_values, changed_fields, db_user, changed_at, txid)
        SELECT v_diff_id, 'DELETE', 'branches', o.bank_code, o.branch_code, o.bank_code || '-' || o.branch_code,
               pg_catalog.jsonb_object(v_all_fields,
                   ARRAY[o.bank_code, o.branch_code, o.name, o.kana, o.hira, o.roma]),
               NULL, v_all_fields, v_user, v_at, v_txid
        FROM old_rows AS o;
    ELSE
        INSERT INTO zengin.change_history
            (diff_id, operation, table_name, bank_code, branch_code, record_key,
             old_values, new_values, changed_fields, db_user, changed_at, txid)
        SELECT v_diff_id, 'UPDATE', 'branches', n.bank_code, n.branch_code, n.bank_code || '-' || n.branch_code,
               pg_catalog.jsonb_object(v_all_fields,
                   ARRAY[o.bank_code, o.branch_code, o.name, o.kana, o.hira, o.roma]),
               pg_catalog.jsonb_object(v_all_fields,
                   ARRAY[n.bank_code, n.branch_code, n.name, n.kana, n.hira, n.roma]),
               c.fields, v_user, v_at, v_txid
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
'Trigger function (statement level, transition tables): records every inserted, updated (with changed fields; rows where nothing changed are skipped) and deleted zengin.branches row in zengin.change_history, with the diff id from setting zengin.diff_id (NULL for manual edits; ZG022 when it names a diff not executing in this transaction), session user and transaction id.';

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
