-- Why: every timestamp the sync writes to DynamoDB has one spelling
-- (ISO-8601, UTC, milliseconds, Z), so comparing what was written with what
-- is read back is a string comparison.
CREATE OR REPLACE FUNCTION zengin_sync.iso_utc(p_ts timestamptz)
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = ''
RETURN pg_catalog.to_char(p_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

COMMENT ON FUNCTION zengin_sync.iso_utc(timestamptz) IS
'A timestamp as DynamoDB records carry it: ISO-8601 in UTC with milliseconds and Z, e.g. 2024-01-01T09:00:00.000Z.';
GRANT EXECUTE ON FUNCTION zengin_sync.iso_utc(timestamptz) TO bbase_sync;
