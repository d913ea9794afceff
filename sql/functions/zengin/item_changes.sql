-- Why: an update diff says per field what changes, {field: {old, new}}, in
-- the design document's camelCase field names.
CREATE OR REPLACE FUNCTION zengin.item_changes(
    p_target text,
    p_old_name text, p_new_name text,
    p_old_kana text, p_new_kana text,
    p_old_hira text, p_new_hira text,
    p_old_roma text, p_new_roma text
)
RETURNS jsonb
LANGUAGE sql
-- STABLE, not IMMUTABLE: jsonb_build_object is STABLE, and an IMMUTABLE
-- wrapper around it would not be inlined into the calling query.
STABLE
PARALLEL SAFE
RETURN (
    SELECT pg_catalog.jsonb_object_agg(
        CASE p_target WHEN 'bank' THEN 'bank' ELSE 'branch' END || f.field,
        pg_catalog.jsonb_build_object('old', f.old, 'new', f.new))
    FROM (VALUES ('Name', p_old_name, p_new_name), ('Kana', p_old_kana, p_new_kana),
        ('Hira', p_old_hira, p_new_hira), ('Roma', p_old_roma, p_new_roma)) AS f (field, old, new)
    WHERE f.old IS DISTINCT FROM f.new
);

COMMENT ON FUNCTION zengin.item_changes(text, text, text, text, text, text, text, text, text) IS
'The changes of an update item: {bankName|branchName|…Kana|…Hira|…Roma: {old, new}} for each field that differs; NULL when none does.';

GRANT EXECUTE ON FUNCTION zengin.item_changes(text, text, text, text, text, text, text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
