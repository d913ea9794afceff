-- Why: diff items carry records in the design document's camelCase layout;
-- one definition serves diff_snapshot (and anyone building items by hand).
CREATE OR REPLACE FUNCTION zengin.item_record(
    p_target text,
    p_bank_code text,
    p_branch_code text,
    p_bank_name text,
    p_name text,
    p_kana text,
    p_hira text,
    p_roma text
)
RETURNS jsonb
LANGUAGE sql
-- STABLE, not IMMUTABLE: jsonb_build_object is STABLE, and an IMMUTABLE
-- wrapper around it would not be inlined into the calling query.
STABLE
PARALLEL SAFE
RETURN CASE p_target
    WHEN 'bank' THEN pg_catalog.jsonb_build_object(
        'bankCode', p_bank_code, 'bankName', p_name, 'bankKana', p_kana,
        'bankHira', p_hira, 'bankRoma', p_roma)
    ELSE pg_catalog.jsonb_build_object(
        'bankCode', p_bank_code, 'bankName', p_bank_name,
        'branchCode', p_branch_code, 'branchName', p_name, 'branchKana', p_kana,
        'branchHira', p_hira, 'branchRoma', p_roma)
END;

COMMENT ON FUNCTION zengin.item_record(text, text, text, text, text, text, text, text) IS
'A bank or branch as a diff record (zenginData/currentData): camelCase keys bankCode, bankName, bankKana, bankHira, bankRoma or bankCode, bankName, branchCode, branchName, branchKana, branchHira, branchRoma.';

GRANT EXECUTE ON FUNCTION zengin.item_record(text, text, text, text, text, text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
