-- Why: one attribute value's share of DynamoDB's item size
-- (zengin_sync.measure_item_size); maps and lists recurse.
CREATE OR REPLACE FUNCTION zengin_sync.measure_value_size(p_value jsonb)
RETURNS bigint
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_type text;
    v_body jsonb;
    v_size bigint := 0;
    v_key text;
    v_element jsonb;
    v_digits text;
BEGIN
    IF pg_catalog.jsonb_typeof(p_value) <> 'object' THEN
        -- Not attribute-value JSON: count its text, an upper bound.
        RETURN pg_catalog.octet_length(p_value::text);
    END IF;
    SELECT e.key, e.value INTO v_type, v_body FROM pg_catalog.jsonb_each(p_value) AS e LIMIT 1;
    CASE v_type
        WHEN 'S' THEN
            RETURN pg_catalog.octet_length(coalesce(v_body #>> '{}', ''));
        WHEN 'N' THEN
            v_digits := pg_catalog.btrim(pg_catalog.regexp_replace(
                pg_catalog.split_part(pg_catalog.lower(v_body #>> '{}'), 'e', 1), '[^0-9]', '', 'g'), '0');
            RETURN pg_catalog.ceil(pg_catalog.char_length(v_digits) / 2.0)::bigint + 1;
        WHEN 'B' THEN
            RETURN (pg_catalog.octet_length(coalesce(v_body #>> '{}', '')) * 3) / 4;
        WHEN 'BOOL', 'NULL' THEN
            RETURN 1;
        WHEN 'M' THEN
            FOR v_key, v_element IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(v_body) AS e LOOP
                v_size := v_size + 1 + pg_catalog.octet_length(v_key) + zengin_sync.measure_value_size(v_element);
            END LOOP;
            RETURN 3 + v_size;
        WHEN 'L' THEN
            FOR v_element IN SELECT e.value FROM pg_catalog.jsonb_array_elements(v_body) AS e LOOP
                v_size := v_size + 1 + zengin_sync.measure_value_size(v_element);
            END LOOP;
            RETURN 3 + v_size;
        WHEN 'SS', 'NS', 'BS' THEN
            FOR v_element IN SELECT e.value FROM pg_catalog.jsonb_array_elements(v_body) AS e LOOP
                v_size := v_size + zengin_sync.measure_value_size(pg_catalog.jsonb_build_object(
                    pg_catalog.left(v_type, 1), v_element));
            END LOOP;
            RETURN v_size;
        ELSE
            RETURN pg_catalog.octet_length(p_value::text);
    END CASE;
END
$$;

COMMENT ON FUNCTION zengin_sync.measure_value_size(jsonb) IS
'DynamoDB''s size of one attribute value in attribute-value JSON ({"S": …}, {"N": …}, {"M": …}, …): strings UTF-8 bytes, numbers (significant digits / 2) + 1, binaries decoded bytes (from base64), BOOL/NULL 1, maps and lists 3 + 1 per element + their contents (map keys by UTF-8 bytes), sets the sum of their elements. Anything else counts as its JSON text.';
GRANT EXECUTE ON FUNCTION zengin_sync.measure_value_size(jsonb) TO bbase_sync;
