-- Why: the four-eyes rule compares people's names (created_by, approved_by,
-- rejected_by). Compared as raw text, 'alice', 'alice<TAB>', 'alice<U+3000>',
-- full-width 'ａｌｉｃｅ' and 'ALICE' are five people. This is the one rule
-- that says when two names are the same person, used before names are stored
-- and before they are compared: NFKC (full-width and compatibility forms to
-- their plain form), invisible characters removed (zero-width spaces and
-- joiners, BOM, soft hyphen, bidi controls, variation selectors, Hangul
-- fillers: Unicode's default-ignorable code points), every run of
-- whitespace or control characters (TAB, CR, LF, NBSP, U+2000-U+200A,
-- U+2028/9, U+202F, U+205F, U+3000, U+0085, C0/C1 controls) made one ASCII
-- space, trimmed at both ends, lower case. The classes are written out:
-- btrim(' ') and [[:space:]] miss most of them.
CREATE OR REPLACE FUNCTION zengin.normalize_identity(p_name text)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = ''
RETURN pg_catalog.lower(pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.regexp_replace(
    pg_catalog.normalize(p_name, 'NFKC'),
    '[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E'
    '\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\U0001BCA0-\U0001BCA3'
    '\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]', '', 'g'),
    '[\u0001-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+', ' ', 'g'),
    ' '));

COMMENT ON FUNCTION zengin.normalize_identity(text) IS
'The canonical form of a person''s name (created_by, approved_by, rejected_by): NFKC, invisible (default-ignorable) characters removed, runs of Unicode whitespace and control characters made one space, trimmed, lower case. Two names are the same person when their canonical forms are equal. '''' when nothing visible is left; NULL for NULL.';

REVOKE EXECUTE ON FUNCTION zengin.normalize_identity(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zengin.normalize_identity(text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
