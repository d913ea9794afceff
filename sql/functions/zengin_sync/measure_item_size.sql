-- requires: sql/functions/zengin_sync/measure_value_size.sql
-- Why: DynamoDB refuses an item over 400 KB. A pulled record is applied only
-- when its item, with the attributes a write-back adds, stays under that, so
-- that PostgreSQL never holds a decision it can never write back. This is
-- DynamoDB's documented size rule, applied to the attribute-value JSON the
-- sync stages (zengin_sync.staged_records.item): attribute names and strings
-- by their UTF-8 bytes, binaries by their decoded bytes, numbers by their
-- significant digits, 3 bytes per map or list plus 1 per element.
CREATE OR REPLACE FUNCTION zengin_sync.measure_item_size(p_item jsonb)
RETURNS bigint
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_size bigint := 0;
    v_key text;
    v_value jsonb;
BEGIN
    IF pg_catalog.jsonb_typeof(p_item) <> 'object' THEN
        RETURN NULL;
    END IF;
    FOR v_key, v_value IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(p_item) AS e LOOP
        v_size := v_size + pg_catalog.octet_length(v_key) + zengin_sync.measure_value_size(v_value);
    END LOOP;
    RETURN v_size;
END
$$;

COMMENT ON FUNCTION zengin_sync.measure_item_size(jsonb) IS
'The size DynamoDB counts for an item given as attribute-value JSON ({"id": {"S": …}, …}): the sum of its attribute names (UTF-8 bytes) and values (zengin_sync.measure_value_size). NULL when p_item is not a JSON object.';
GRANT EXECUTE ON FUNCTION zengin_sync.measure_item_size(jsonb) TO bbase_sync;
