-- Why: DynamoDB records carry times as ISO-8601 UTC strings with milliseconds
-- (2024-01-01T09:00:00.000Z); one function keeps the format identical everywhere.
CREATE OR REPLACE FUNCTION zengin.format_iso_utc(p_at timestamptz)
RETURNS text
LANGUAGE sql
STABLE
STRICT
PARALLEL SAFE
RETURN pg_catalog.to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

COMMENT ON FUNCTION zengin.format_iso_utc(timestamptz) IS
'A timestamp as ISO-8601 UTC with milliseconds and Z, e.g. 2024-01-01T09:00:00.000Z (the DynamoDB record format).';

GRANT EXECUTE ON FUNCTION zengin.format_iso_utc(timestamptz)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
