-- requires: sql/functions/bbase/abbreviate_value.sql
-- Why: the bank/branch part of a pulled record (zenginData, currentData, or an
-- item of a bulk_update) must have the right codes and string-typed names
-- within the master's length limit (zengin.is_within_name_limit, migration
-- 0179) before anything is applied: a 400 KB name would otherwise be applied
-- and never written back. The reason names the field and the value (long
-- values abbreviated).
CREATE OR REPLACE FUNCTION zengin_sync.check_zengin_data(p_field text, p_data jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_key text;
BEGIN
    IF p_data IS NULL OR p_data = 'null'::jsonb THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.jsonb_typeof(p_data) <> 'object' THEN
        RETURN pg_catalog.format('wrong type for %s: %s, expected map', p_field, pg_catalog.jsonb_typeof(p_data));
    END IF;
    IF NOT p_data ? 'bankCode' THEN
        RETURN pg_catalog.format('missing key %s.bankCode', p_field);
    END IF;
    FOREACH v_key IN ARRAY ARRAY[
        'bankCode', 'bankName', 'bankKana', 'bankHira', 'bankRoma',
        'branchCode', 'branchName', 'branchKana', 'branchHira', 'branchRoma'
    ] LOOP
        IF p_data ? v_key AND pg_catalog.jsonb_typeof(p_data -> v_key) NOT IN ('string', 'null') THEN
            RETURN pg_catalog.format('wrong type for %s.%s: %s %s, expected string',
                p_field, v_key, pg_catalog.jsonb_typeof(p_data -> v_key),
                bbase.abbreviate_value((p_data -> v_key)::text));
        END IF;
        IF v_key NOT IN ('bankCode', 'branchCode')
            AND NOT coalesce(zengin.is_within_name_limit(p_data ->> v_key), true) THEN
            RETURN pg_catalog.format('%s.%s: %s characters, limit %s: %L', p_field, v_key,
                pg_catalog.char_length(p_data ->> v_key), zengin.name_length_limit(),
                bbase.abbreviate_value(p_data ->> v_key));
        END IF;
    END LOOP;
    IF (p_data ->> 'bankCode') !~ '^[0-9]{4}$' THEN
        RETURN pg_catalog.format('bad bank code %s.bankCode %L: expected 4 digits', p_field,
            bbase.abbreviate_value(p_data ->> 'bankCode'));
    END IF;
    IF p_data ->> 'branchCode' IS NOT NULL AND (p_data ->> 'branchCode') !~ '^[0-9]{3}$' THEN
        RETURN pg_catalog.format('bad branch code %s.branchCode %L: expected 3 digits',
            p_field, bbase.abbreviate_value(p_data ->> 'branchCode'));
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION zengin_sync.check_zengin_data(text, jsonb) IS
'Why the bank/branch record p_data (named p_field in the message) is malformed: not a map, bankCode missing or not 4 digits, branchCode not 3 digits, a name/kana/hira/roma key not a string or longer than zengin.name_length_limit() characters. NULL when it is fine or absent.';
GRANT EXECUTE ON FUNCTION zengin_sync.check_zengin_data(text, jsonb) TO bbase_sync;
