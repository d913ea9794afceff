-- Why: a diff's conflict check compares the live rows with the diff's
-- currentData; without a lock a manual UPDATE or DELETE committed between the
-- check and the write was silently overwritten. Locking every row the diff
-- updates or deletes first (FOR UPDATE: a concurrent edit in flight is waited
-- for, and the check that follows reads what it committed) makes the check
-- hold until the diff's transaction ends. Always banks before branches, each
-- in key order, so two lockers never take the same rows in opposite orders.
-- Additions lock nothing: their row is absent, and the primary key makes a
-- concurrent insert of the same key wait and then fail.
CREATE OR REPLACE FUNCTION zengin.lock_diff_targets(p_diff_id text)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_banks integer;
    v_branches integer;
BEGIN
    PERFORM
    FROM zengin.banks AS b
    WHERE b.bank_code IN (
        SELECT i.bank_code FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'bank' AND i.diff_type <> 'addition')
    ORDER BY b.bank_code
    FOR UPDATE OF b;
    GET DIAGNOSTICS v_banks = ROW_COUNT;

    PERFORM
    FROM zengin.branches AS r
    WHERE (r.bank_code, r.branch_code) IN (
        SELECT i.bank_code, i.branch_code FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'branch' AND i.diff_type <> 'addition')
    ORDER BY r.bank_code, r.branch_code
    FOR UPDATE OF r;
    GET DIAGNOSTICS v_branches = ROW_COUNT;

    RETURN v_banks + v_branches;
END
$$;

COMMENT ON FUNCTION zengin.lock_diff_targets(text) IS
'Internal (zengin.apply_diff, before its conflict check): lock FOR UPDATE the live banks and then branches, in key order, that diff p_diff_id updates or deletes; waits for a concurrent edit of them to end. Returns the number of rows locked (a missing row is not locked and is then reported as a conflict).';

REVOKE EXECUTE ON FUNCTION zengin.lock_diff_targets(text) FROM PUBLIC;
