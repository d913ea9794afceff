-- Why: a deletion item names only the record it removes; one definition of
-- that key record for diff_snapshot and hand-made diffs.
CREATE OR REPLACE FUNCTION zengin.item_key(p_target text, p_bank_code text, p_branch_code text)
RETURNS jsonb
LANGUAGE sql
-- STABLE, not IMMUTABLE: jsonb_build_object is STABLE, and an IMMUTABLE
-- wrapper around it would not be inlined into the calling query.
STABLE
PARALLEL SAFE
RETURN CASE p_target
    WHEN 'bank' THEN pg_catalog.jsonb_build_object('bankCode', p_bank_code)
    ELSE pg_catalog.jsonb_build_object('bankCode', p_bank_code, 'branchCode', p_branch_code)
END;

COMMENT ON FUNCTION zengin.item_key(text, text, text) IS
'The key of a bank ({bankCode}) or branch ({bankCode, branchCode}) as a diff record; the zenginData of a deletion.';

GRANT EXECUTE ON FUNCTION zengin.item_key(text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
