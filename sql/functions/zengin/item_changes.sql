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
RETURN nullif(
    CASE WHEN p_old_name IS DISTINCT FROM p_new_name
        THEN pg_catalog.jsonb_build_object(p_target || 'Name',
            pg_catalog.jsonb_build_object('old', p_old_name, 'new', p_new_name))
        ELSE '{}'::jsonb END
    ||
    CASE WHEN p_old_kana IS DISTINCT FROM p_new_kana
        THEN pg_catalog.jsonb_build_object(p_target || 'Kana',
            pg_catalog.jsonb_build_object('old', p_old_kana, 'new', p_new_kana))
        ELSE '{}'::jsonb END
    ||
    CASE WHEN p_old_hira IS DISTINCT FROM p_new_hira
        THEN pg_catalog.jsonb_build_object(p_target || 'Hira',
            pg_catalog.jsonb_build_object('old', p_old_hira, 'new', p_new_hira))
        ELSE '{}'::jsonb END
    ||
    CASE WHEN p_old_roma IS DISTINCT FROM p_new_roma
        THEN pg_catalog.jsonb_build_object(p_target || 'Roma',
            pg_catalog.jsonb_build_object('old', p_old_roma, 'new', p_new_roma))
        ELSE '{}'::jsonb END,
    '{}'::jsonb
);

COMMENT ON FUNCTION zengin.item_changes(text, text, text, text, text, text, text, text, text) IS
'The changes of an update item (p_target bank or branch): {bankName|branchName|…Kana|…Hira|…Roma: {old, new}} for each field that differs; NULL when none does.';

GRANT EXECUTE ON FUNCTION zengin.item_changes(text, text, text, text, text, text, text, text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
