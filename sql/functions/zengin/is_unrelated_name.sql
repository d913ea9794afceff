-- Why: a bank or branch code that comes back under an unrelated name is
-- a different bank or branch reusing the code, not a rename; transfers keyed on
-- the code would silently reach someone else. The review report flags it, and
-- the rule of "unrelated" lives here, once, so psql users and the report agree.
CREATE OR REPLACE FUNCTION zengin.is_unrelated_name(
    p_old_name text,
    p_new_name text,
    p_old_kana text,
    p_new_kana text
)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    -- Compared: the names after NFKC (full-width letters and digits become
    -- ASCII) in lower case, without the generic words of branch names and without spaces
    -- and punctuation, which say nothing about which place is meant.
    v_generic constant text := '支店|出張所|営業部|支所|[[:space:][:punct:]・]';
    v_old text := pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.normalize(p_old_name, 'NFKC')), v_generic, '', 'g');
    v_new text := pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.normalize(p_new_name, 'NFKC')), v_generic, '', 'g');
BEGIN
    IF p_old_kana IS NOT DISTINCT FROM p_new_kana OR coalesce(v_old, '') = '' OR coalesce(v_new, '') = '' THEN
        RETURN FALSE;
    END IF;
    RETURN NOT EXISTS (
        SELECT FROM pg_catalog.regexp_split_to_table(v_old, '') AS ch (chr)
        WHERE pg_catalog.strpos(v_new, ch.chr) > 0
    );
END
$$;

COMMENT ON FUNCTION zengin.is_unrelated_name(text, text, text, text) IS
'True when a name change p_old_name → p_new_name names something else rather than renaming it: the reading changes (p_old_kana IS DISTINCT FROM p_new_kana) and the two names share no character once NFKC-normalized, lower-cased and stripped of the generic words 支店, 出張所, 営業部, 支所, of spaces and of punctuation (渋谷 → 新宿 is unrelated; 市ケ谷 → 市ヶ谷, 新宿 → 新宿西口, 紐育 → ニューヨーク with the same kana are not). False when a name is missing or nothing is left of it after stripping. Used by zengin.review_items for its code_reused flag.';

GRANT EXECUTE ON FUNCTION zengin.is_unrelated_name(text, text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
