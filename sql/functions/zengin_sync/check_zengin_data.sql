-- Why: the bank/branch part of a pulled record (zenginData, currentData, or an
-- item of a bulk_update) must have the right codes and string-typed names
-- before anything is applied; the reason names the field and the value.
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
                p_field, v_key, pg_catalog.jsonb_typeof(p_data -> v_key), p_data -> v_key);
        END IF;
    END LOOP;
    IF (p_data ->> 'bankCode') !~ '^[0-9]{4}$' THEN
        RETURN pg_catalog.format('bad bank code %s.bankCode %L: expected 4 digits', p_field, p_data ->> 'bankCode');
    END IF;
    IF p_data ->> 'branchCode' IS NOT NULL AND (p_data ->> 'branchCode') !~ '^[0-9]{3}$' THEN
        RETURN pg_catalog.format('bad branch code %s.branchCode %L: expected 3 digits',
            p_field, p_data ->> 'branchCode');
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION zengin_sync.check_zengin_data(text, jsonb) IS
'Why the bank/branch record p_data (named p_field in the message) is malformed: not a map, bankCode missing or not 4 digits, branchCode not 3 digits, a name/kana/hira/roma key not a string. NULL when it is fine or absent.';
GRANT EXECUTE ON FUNCTION zengin_sync.check_zengin_data(text, jsonb) TO bbase_sync;
