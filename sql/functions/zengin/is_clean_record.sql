-- requires: sql/functions/zengin/is_zengin_kana.sql
-- Why: zengin.find_record_problems names every problem of a record but is a
-- PL/pgSQL call per record; a full load has 30,000 records and nearly all are
-- clean. This is the same rules as one inlinable expression, the fast gate in
-- front of it: the insert triggers of zengin.banks and zengin.branches call
-- their validation only for a row it rejects, and zengin.find_source_problems
-- only asks find_record_problems about such rows. Its 100 is
-- zengin.name_length_limit() (a migration's function, which a replayed
-- LANGUAGE sql body cannot depend on). tests/zengin/test_field_limits.py holds
-- the two functions equal on random records.
CREATE OR REPLACE FUNCTION zengin.is_clean_record(
    p_target text,
    p_bank_code text,
    p_branch_code text,
    p_name text,
    p_kana text,
    p_hira text,
    p_roma text
)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN coalesce(
    p_bank_code ~ '^[0-9]{4}$'
    AND (p_target <> 'branch' OR p_branch_code ~ '^[0-9]{3}$')
    AND pg_catalog.btrim(p_name, E' \t\n\u3000') <> ''
    AND zengin.is_zengin_kana(p_kana)
    AND pg_catalog.char_length(p_name) <= 100
    AND pg_catalog.char_length(p_kana) <= 100
    AND coalesce(pg_catalog.char_length(p_hira) <= 100, TRUE)
    AND coalesce(pg_catalog.char_length(p_roma) <= 100, TRUE),
    FALSE
);

COMMENT ON FUNCTION zengin.is_clean_record(text, text, text, text, text, text, text) IS
'True when zengin.find_record_problems finds nothing wrong with the record (same arguments), as one inlinable expression: the fast gate of the master''s insert triggers and of zengin.find_source_problems.';
GRANT EXECUTE ON FUNCTION zengin.is_clean_record(text, text, text, text, text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
