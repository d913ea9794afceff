-- Why: a record's target (bank or branch) and its branchCode must agree, or
-- adoption fails on zengin.diff_items' CHECK with a message naming a
-- constraint instead of the attribute. A missing target is derived from
-- branchCode and always agrees.
CREATE OR REPLACE FUNCTION zengin_sync.check_target(p_field text, p_target text, p_data jsonb)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
RETURN CASE
    WHEN p_target = 'bank' AND coalesce(p_data ->> 'branchCode', '') <> ''
        THEN pg_catalog.format('%s.target ''bank'' but branchCode %L: a bank record has no branch code',
            p_field, pg_catalog.left(p_data ->> 'branchCode', 60))
    WHEN p_target = 'branch' AND coalesce(p_data ->> 'branchCode', '') = ''
        THEN pg_catalog.format('%s.target ''branch'' but no branchCode', p_field)
END;

COMMENT ON FUNCTION zengin_sync.check_target(text, text, jsonb) IS
'Why the target p_target (bank or branch) of a pulled record or bulk item (named p_field) contradicts its data p_data: a bank with a branchCode, a branch without one. NULL when they agree or the target is absent.';
GRANT EXECUTE ON FUNCTION zengin_sync.check_target(text, text, jsonb) TO bbase_sync;
