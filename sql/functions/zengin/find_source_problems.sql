-- requires: sql/functions/zengin/find_record_problems.sql
-- Why: bbase zengin stage refuses a source folder with any bad record, and
-- names every one of them, before anything is staged. The glue checks what
-- only it can see (files, encoding, JSON structure); the content rules are
-- the master's own (zengin.find_record_problems), applied here to the whole
-- folder in one call.
CREATE OR REPLACE FUNCTION zengin.find_source_problems(p_target text, p_records jsonb)
RETURNS TABLE (record_no bigint, field text, value text, rule text, sqlstate text)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.ord, p.field, p.value, p.rule, p.sqlstate
    FROM pg_catalog.jsonb_array_elements(p_records) WITH ORDINALITY AS r (rec, ord)
    CROSS JOIN LATERAL zengin.find_record_problems(
        p_target, r.rec ->> 'bank_code', r.rec ->> 'branch_code', r.rec ->> 'name',
        r.rec ->> 'kana', r.rec ->> 'hira', r.rec ->> 'roma'
    ) AS p
    ORDER BY r.ord;
END;

COMMENT ON FUNCTION zengin.find_source_problems(text, jsonb) IS
'The content problems (zengin.find_record_problems) of p_records, a JSON array of {bank_code, branch_code, name, kana, hira, roma} objects, all bank (p_target = bank) or all branch records: record_no (1-based position in the array), field, value, rule, SQLSTATE. Used by bbase zengin stage before staging.';
GRANT EXECUTE ON FUNCTION zengin.find_source_problems(text, jsonb)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
