-- requires: sql/functions/zengin/find_record_problems.sql, sql/functions/zengin/is_clean_record.sql
-- Why: bbase zengin stage refuses a source folder with any bad record, and
-- names every one of them, before anything is staged. The glue checks what
-- only it can see (files, encoding, JSON structure); the content rules are
-- the master's own (zengin.find_record_problems), applied here to the whole
-- folder in one call; only records its fast gate (zengin.is_clean_record)
-- refuses are examined one by one.
CREATE OR REPLACE FUNCTION zengin.find_source_problems(p_target text, p_records jsonb)
RETURNS TABLE (record_no bigint, field text, value text, rule text, sqlstate text)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.ord, p.field, p.value, p.rule, p.sqlstate
    FROM (SELECT p_target AS target, p_records AS records) AS a
    CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(a.records) WITH ORDINALITY AS r (rec, ord)
    CROSS JOIN LATERAL (
        SELECT r.rec ->> 0 AS bank_code, r.rec ->> 1 AS branch_code, r.rec ->> 2 AS name,
            r.rec ->> 3 AS kana, r.rec ->> 4 AS hira, r.rec ->> 5 AS roma
    ) AS v
    CROSS JOIN LATERAL zengin.find_record_problems(
        a.target, v.bank_code, v.branch_code, v.name, v.kana, v.hira, v.roma
    ) AS p
    WHERE NOT zengin.is_clean_record(a.target, v.bank_code, v.branch_code, v.name, v.kana, v.hira, v.roma)
    ORDER BY r.ord;
END;

COMMENT ON FUNCTION zengin.find_source_problems(text, jsonb) IS
'The content problems (zengin.find_record_problems) of p_records, a JSON array of [bank_code, branch_code, name, kana, hira, roma] arrays (branch_code null for a bank; arrays, not objects, keep a full load''s 30,000 records fast), all bank (p_target = bank) or all branch records: record_no (1-based position in the array), field, value, rule, SQLSTATE. Used by bbase zengin stage before staging.';
GRANT EXECUTE ON FUNCTION zengin.find_source_problems(text, jsonb)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
