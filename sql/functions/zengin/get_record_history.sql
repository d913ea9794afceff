-- Why: "who changed this bank/branch, when, and through which diff" is the
-- question change_history exists to answer.
CREATE OR REPLACE FUNCTION zengin.get_record_history(p_bank_code text, p_branch_code text DEFAULT NULL)
RETURNS TABLE (
    changed_at timestamptz, operation text, table_name text, record_key text, diff_id text,
    changed_fields text[], old_values jsonb, new_values jsonb, db_user text, txid bigint, id bigint
)
LANGUAGE sql
STABLE
AS $$
    SELECT h.changed_at, h.operation, h.table_name, h.record_key, h.diff_id,
        h.changed_fields, h.old_values, h.new_values, h.db_user, h.txid, h.id
    FROM zengin.change_history AS h
    WHERE h.bank_code = p_bank_code
        AND (
            (p_branch_code IS NULL AND h.table_name = 'banks')
            OR (p_branch_code IS NOT NULL AND h.table_name = 'branches' AND h.branch_code = p_branch_code)
        )
    ORDER BY h.changed_at, h.id;
$$;

COMMENT ON FUNCTION zengin.get_record_history(text, text) IS
'Change history of one bank (p_branch_code NULL) or one branch, oldest first: every insert, update and delete with diff id, old/new values, changed fields, user and transaction.';

GRANT EXECUTE ON FUNCTION zengin.get_record_history(text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
