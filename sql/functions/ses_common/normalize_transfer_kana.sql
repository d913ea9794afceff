-- requires: sql/functions/ses_common/is_transfer_kana.sql
-- Why: people type account holders in full-width katakana, hiragana, with
-- small kana (ｷｭｳ) or lower-case letters; the bank wants JIS half-width
-- katakana without small kana (ｷﾕｳ). What can be converted without changing
-- the name is converted, once, here; the rest is refused naming the first
-- offending character and its position, never the whole value (an account
-- holder is personal data). Steps:
-- 1. NFKD: full-width Latin, digits, brackets, ideographic space become ASCII;
--    half-width and full-width katakana both become full-width base letters
--    plus combining sound marks (ガ, ｶﾞ -> カ U+3099), so one table serves;
-- 2. hiragana -> katakana (the same letter, 0x60 further);
-- 3. small kana -> large (ァ -> ア, ッ -> ツ, ヵ -> カ; the banks' rule);
-- 4. lower-case Latin -> upper-case;
-- 5. full-width katakana -> half-width, combining marks -> ﾞ ﾟ;
-- 6. runs of spaces -> one, trimmed.
-- Not converted, so refused: the long vowel mark ー (banks differ: a hyphen
-- or nothing; a guessed name that differs from the bank's record sends the
-- money back), ヰ ヱ, comma, slash, anything else outside the set.
-- p_max_length (characters = bytes in the file) is checked after conversion.
CREATE OR REPLACE FUNCTION ses_common.normalize_transfer_kana(
    p_field text,
    p_text text,
    p_max_length integer
) RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_text text;
    v_pos integer;
    v_char text;
BEGIN
    IF p_text IS NULL THEN
        RETURN NULL;
    END IF;
    v_text := pg_catalog.normalize(p_text, 'NFKD');
    -- hiragana ぁ-ゖ (U+3041-3096) to katakana (U+30A1-30F6)
    v_text := pg_catalog.translate(v_text,
        'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ',
        'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ');
    v_text := pg_catalog.translate(v_text, 'ァィゥェォッャュョヮヵヶ', 'アイウエオツヤユヨワカケ');
    v_text := pg_catalog.upper(v_text COLLATE "C");
    v_text := pg_catalog.translate(v_text,
        'ヲアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン' || U&'\3099\309A',
        'ｦｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ');
    v_text := pg_catalog.btrim(pg_catalog.regexp_replace(v_text, ' {2,}', ' ', 'g'));

    IF v_text = '' THEN
        RAISE EXCEPTION 'invalid %: blank (a Zengin kana name needs at least one character)', p_field
            USING ERRCODE = 'SE140',
                  DETAIL = pg_catalog.format('field=%s reason=blank', p_field),
                  HINT = 'Give the name as the bank knows it, in katakana.',
                  COLUMN = p_field;
    END IF;
    IF NOT ses_common.is_transfer_kana(v_text) THEN
        v_pos := pg_catalog.length(pg_catalog.substring(v_text, '^[ｦｱ-ﾟA-Z0-9 ().-]*')) + 1;
        v_char := pg_catalog.substr(v_text, v_pos, 1);
        RAISE EXCEPTION 'invalid %: character % (U+%) at position % is not Zengin kana (value withheld)',
            p_field, pg_catalog.quote_literal(v_char),
            pg_catalog.upper(pg_catalog.to_hex(pg_catalog.ascii(v_char))), v_pos
            USING ERRCODE = 'SE140',
                  DETAIL = pg_catalog.format('field=%s character=%s position=%s', p_field, v_char, v_pos),
                  HINT = 'Allowed: katakana (converted to half-width, small kana to large), A-Z, 0-9, space and ( ) - . ; write ー, commas and other signs as the bank has the name.',
                  COLUMN = p_field;
    END IF;
    IF pg_catalog.length(v_text) > p_max_length THEN
        RAISE EXCEPTION 'invalid %: % half-width characters, at most % (value withheld)',
            p_field, pg_catalog.length(v_text), p_max_length
            USING ERRCODE = 'SE140',
                  DETAIL = pg_catalog.format('field=%s length=%s limit=%s', p_field, pg_catalog.length(v_text), p_max_length),
                  HINT = 'Abbreviate as the bank does (e.g. ｶ) for 株式会社).',
                  COLUMN = p_field;
    END IF;
    RETURN v_text;
END
$$;

COMMENT ON FUNCTION ses_common.normalize_transfer_kana(text, text, integer) IS
'Convert p_text to the Zengin transfer character set (ses_common.is_transfer_kana): NFKD, hiragana to katakana, small kana to large, a-z to A-Z, full-width katakana to half-width with ﾞﾟ, spaces collapsed and trimmed. Raises SE140 naming p_field and the first character it cannot convert (with its position, never the value), a blank result, or more than p_max_length characters. NULL for NULL.';

REVOKE ALL ON FUNCTION ses_common.normalize_transfer_kana(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.normalize_transfer_kana(text, text, integer)
TO ses_admin_role, ses_project_manager_role, ses_finance_role, bbase_operator;
