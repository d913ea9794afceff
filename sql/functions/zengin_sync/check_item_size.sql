-- requires: sql/functions/zengin_sync/measure_item_size.sql
-- Why: a write-back (zengin_sync.plan_writebacks) adds the reviewer and result
-- attributes to a record. A record that leaves no room for them would be
-- applied in PostgreSQL and then refused by DynamoDB on every run (exit 3
-- forever), so it is refused before it is applied. 16 KiB covers status,
-- three timestamps, reviewer names, a reject reason and an execution result
-- many times over; bbase publish sends records above the same bound to S3
-- (bbase.s3.LARGE_RECORD_BYTES), so a published record always fits.
CREATE OR REPLACE FUNCTION zengin_sync.check_item_size(p_item jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    c_item_limit CONSTANT bigint := 400 * 1024;
    c_writeback_reserve CONSTANT bigint := 16 * 1024;
    v_size bigint;
BEGIN
    -- Fast path: the JSON text of an attribute-value item is never smaller than
    -- DynamoDB's count of it (every name, string, number and binary appears in
    -- it at least as long, wrapped in quotes and type tags), and nearly every
    -- record is a few hundred bytes.
    IF pg_catalog.octet_length(p_item::text) <= c_item_limit - c_writeback_reserve THEN
        RETURN NULL;
    END IF;
    v_size := zengin_sync.measure_item_size(p_item);
    IF v_size > c_item_limit - c_writeback_reserve THEN
        RETURN pg_catalog.format(
            'item: %s bytes, limit %s (DynamoDB''s %s-byte item limit less %s bytes for the attributes a write-back adds)',
            v_size, c_item_limit - c_writeback_reserve, c_item_limit, c_writeback_reserve);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION zengin_sync.check_item_size(jsonb) IS
'Why a pulled DynamoDB item (attribute-value JSON) is too large to be applied: its size (zengin_sync.measure_item_size) leaves less than 16 KiB below DynamoDB''s 400 KB item limit for the attributes a write-back adds. NULL when it fits.';
GRANT EXECUTE ON FUNCTION zengin_sync.check_item_size(jsonb) TO bbase_sync;
