-- requires: sql/functions/zengin/is_zengin_kana.sql
-- Why: the content rules of a bank or branch record (codes, a name that is
-- not blank, Zengin kana, the length limit of migration 0179) in one place.
-- The validation triggers of zengin.banks and zengin.branches raise the first
-- problem; bbase zengin stage reports every problem of a source folder
-- (zengin.find_source_problems) before anything is staged. PL/pgSQL, so the
-- file can be replayed before the migration that made the length limit.
CREATE OR REPLACE FUNCTION zengin.find_record_problems(
    p_target text,
    p_bank_code text,
    p_branch_code text,
    p_name text,
    p_kana text,
    p_hira text,
    p_roma text
)
RETURNS TABLE (field text, value text, rule text, sqlstate text)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_limit integer := zengin.name_length_limit();
    v_field text;
    v_value text;
BEGIN
    IF p_bank_code IS NULL OR p_bank_code !~ '^[0-9]{4}$' THEN
        RETURN QUERY SELECT 'bank_code', p_bank_code, 'must be exactly 4 ASCII digits', 'ZG001';
    END IF;
    IF p_target = 'branch' AND (p_branch_code IS NULL OR p_branch_code !~ '^[0-9]{3}$') THEN
        RETURN QUERY SELECT 'branch_code', p_branch_code, 'must be exactly 3 ASCII digits', 'ZG001';
    END IF;
    IF p_name IS NULL OR pg_catalog.btrim(p_name, E' \t\n\u3000') = '' THEN
        RETURN QUERY SELECT 'name', p_name, 'must not be empty', 'ZG002';
    END IF;
    IF NOT coalesce(zengin.is_zengin_kana(p_kana), false) THEN
        RETURN QUERY SELECT 'kana', p_kana,
            'must be full-width katakana (ァ-ヺ, ー, －, ．, ・, （）, ／, full-width A-Z/0-9, ideographic space)',
            'ZG003';
    END IF;
    FOR v_field, v_value IN
        SELECT f.field, f.value
        FROM (VALUES (1, 'name', p_name), (2, 'kana', p_kana), (3, 'hira', p_hira), (4, 'roma', p_roma))
            AS f (ord, field, value)
        WHERE NOT coalesce(zengin.is_within_name_limit(f.value), true)
        ORDER BY f.ord
    LOOP
        RETURN QUERY SELECT v_field, v_value,
            pg_catalog.format('%s characters, limit %s', pg_catalog.char_length(v_value), v_limit),
            'ZG040';
    END LOOP;
END
$$;

COMMENT ON FUNCTION zengin.find_record_problems(text, text, text, text, text, text, text) IS
'Every way a bank (p_target = bank) or branch (branch) record breaks the master''s content rules, one row each: field, value, rule and the SQLSTATE the master refuses it with (ZG001 code, ZG002 blank name, ZG003 kana, ZG040 longer than zengin.name_length_limit()). No rows for a valid record.';
GRANT EXECUTE ON FUNCTION zengin.find_record_problems(text, text, text, text, text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
