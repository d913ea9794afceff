-- Why: the set of characters Zengin kana uses is one rule; the validation
-- triggers of banks and branches (their function body and their WHEN gate)
-- share it from here. A LANGUAGE sql function with a single expression is
-- inlined by the planner, so the WHEN gate of a bulk insert costs no call.
-- The tables' CHECK constraints (migration 0010) repeat the pattern on purpose:
-- versioned DDL does not depend on replaceable functions.
CREATE OR REPLACE FUNCTION zengin.is_zengin_kana(p_kana text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN p_kana ~ '^[ァ-ヺー－．・（）／　Ａ-Ｚ０-９]+$';

COMMENT ON FUNCTION zengin.is_zengin_kana(text) IS
'True when p_kana is non-empty full-width katakana as Zengin data uses it (ァ-ヺ, ー, －, ．, ・, （）, ／, full-width A-Z/0-9, ideographic space); NULL for NULL.';

GRANT EXECUTE ON FUNCTION zengin.is_zengin_kana(text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
