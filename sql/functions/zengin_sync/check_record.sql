-- requires: sql/functions/zengin_sync/check_zengin_data.sql, sql/functions/bbase/abbreviate_value.sql
-- requires: sql/functions/zengin_sync/check_target.sql
-- Why: a record pulled from DynamoDB is applied only when it is well-formed.
-- This returns the first problem found, naming the field and the value, or
-- NULL. The designed layout (no target, no hiragana/romaji) is well-formed.
-- The id rule is zengin.is_diff_id and the statuses are zengin.diff_statuses:
-- a record is judged by the same rules as zengin.diffs itself. Numbers that
-- become bigint columns (ttl, dataSize) are checked for range here, so the
-- reason names the attribute instead of saying "bigint out of range"; values
-- in reasons are abbreviated (bbase.abbreviate_value).
CREATE OR REPLACE FUNCTION zengin_sync.check_record(p_record jsonb)
RETURNS text
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_key text;
    v_reason text;
    v_item jsonb;
    v_no integer := 0;
BEGIN
    IF p_record IS NULL OR pg_catalog.jsonb_typeof(p_record) <> 'object' THEN
        RETURN 'record is not a map';
    END IF;
    FOREACH v_key IN ARRAY ARRAY['id', 'timestamp', 'status', 'diffType'] LOOP
        IF NOT p_record ? v_key THEN
            RETURN pg_catalog.format('missing key %s', v_key);
        END IF;
        IF pg_catalog.jsonb_typeof(p_record -> v_key) <> 'string' THEN
            RETURN pg_catalog.format('wrong type for %s: %s %s, expected string',
                v_key, pg_catalog.jsonb_typeof(p_record -> v_key),
                bbase.abbreviate_value((p_record -> v_key)::text));
        END IF;
    END LOOP;
    IF NOT zengin.is_diff_id(p_record ->> 'id') THEN
        RETURN pg_catalog.format('bad id %L: expected diff-YYYYMMDD-NNN (a calendar day, a sequence of 3 to 10 digits up to 2147483647)',
            bbase.abbreviate_value(p_record ->> 'id'));
    END IF;
    IF (p_record ->> 'timestamp') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:?[0-9]{2})$' THEN
        RETURN pg_catalog.format('bad timestamp %L: expected ISO-8601 with a zone',
            bbase.abbreviate_value(p_record ->> 'timestamp'));
    END IF;
    BEGIN
        PERFORM (p_record ->> 'timestamp')::timestamptz;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
        RETURN pg_catalog.format('bad timestamp %L: not a date and time', p_record ->> 'timestamp');
    END;
    IF NOT EXISTS (SELECT FROM zengin.diff_statuses AS s WHERE s.status = p_record ->> 'status') THEN
        RETURN pg_catalog.format('unknown status %L', bbase.abbreviate_value(p_record ->> 'status'));
    END IF;
    IF (p_record ->> 'diffType') NOT IN ('addition', 'update', 'deletion', 'bulk_update') THEN
        RETURN pg_catalog.format('unknown diffType %L', bbase.abbreviate_value(p_record ->> 'diffType'));
    END IF;
    FOREACH v_key IN ARRAY ARRAY[
        'target', 'createdBy', 'approvedBy', 'approvedAt', 'rejectedBy', 'rejectedAt',
        'rejectReason', 'executedAt', 'dataLocation', 'dataChecksum'
    ] LOOP
        IF p_record ? v_key AND pg_catalog.jsonb_typeof(p_record -> v_key) NOT IN ('string', 'null') THEN
            RETURN pg_catalog.format('wrong type for %s: %s %s, expected string',
                v_key, pg_catalog.jsonb_typeof(p_record -> v_key),
                bbase.abbreviate_value((p_record -> v_key)::text));
        END IF;
    END LOOP;
    FOREACH v_key IN ARRAY ARRAY['ttl', 'dataSize'] LOOP
        IF p_record ? v_key AND pg_catalog.jsonb_typeof(p_record -> v_key) NOT IN ('number', 'null') THEN
            RETURN pg_catalog.format('wrong type for %s: %s %s, expected number',
                v_key, pg_catalog.jsonb_typeof(p_record -> v_key),
                bbase.abbreviate_value((p_record -> v_key)::text));
        END IF;
        IF pg_catalog.jsonb_typeof(p_record -> v_key) = 'number' AND NOT (
            (p_record ->> v_key)::numeric = pg_catalog.trunc((p_record ->> v_key)::numeric)
            AND (p_record ->> v_key)::numeric BETWEEN 0 AND 9223372036854775807
        ) THEN
            RETURN pg_catalog.format('%s: %s, expected a whole number from 0 to 9223372036854775807',
                v_key, bbase.abbreviate_value(p_record ->> v_key));
        END IF;
    END LOOP;
    FOREACH v_key IN ARRAY ARRAY['changes', 'metadata', 'executionResult', 'dataSummary'] LOOP
        IF p_record ? v_key AND pg_catalog.jsonb_typeof(p_record -> v_key) NOT IN ('object', 'null') THEN
            RETURN pg_catalog.format('wrong type for %s: %s, expected map',
                v_key, pg_catalog.jsonb_typeof(p_record -> v_key));
        END IF;
    END LOOP;
    IF p_record ->> 'target' IS NOT NULL AND (p_record ->> 'target') NOT IN ('bank', 'branch') THEN
        RETURN pg_catalog.format('unknown target %L: expected bank or branch',
            bbase.abbreviate_value(p_record ->> 'target'));
    END IF;
    IF p_record ->> 'status' = 'approved' AND coalesce(pg_catalog.btrim(p_record ->> 'approvedBy'), '') = '' THEN
        RETURN 'status approved without approvedBy';
    END IF;
    IF p_record ->> 'status' = 'rejected'
        AND coalesce(pg_catalog.btrim(coalesce(p_record ->> 'rejectedBy', p_record ->> 'approvedBy')), '') = '' THEN
        RETURN 'status rejected without rejectedBy';
    END IF;

    IF p_record ->> 'diffType' = 'bulk_update' THEN
        IF NOT p_record ? 'items' THEN
            RETURN 'missing key items (a bulk_update carries its items, in the record or its S3 body)';
        END IF;
        IF pg_catalog.jsonb_typeof(p_record -> 'items') <> 'array' THEN
            RETURN pg_catalog.format('wrong type for items: %s, expected list', pg_catalog.jsonb_typeof(p_record -> 'items'));
        END IF;
        FOR v_item IN SELECT e.value FROM pg_catalog.jsonb_array_elements(p_record -> 'items') AS e LOOP
            v_no := v_no + 1;
            IF pg_catalog.jsonb_typeof(v_item) <> 'object' THEN
                RETURN pg_catalog.format('wrong type for items[%s]: %s, expected map', v_no, pg_catalog.jsonb_typeof(v_item));
            END IF;
            IF coalesce(v_item ->> 'diffType', '') NOT IN ('addition', 'update', 'deletion') THEN
                RETURN pg_catalog.format('unknown items[%s].diffType %L', v_no,
                    bbase.abbreviate_value(v_item ->> 'diffType'));
            END IF;
            IF v_item -> 'target' <> 'null'::jsonb AND (pg_catalog.jsonb_typeof(v_item -> 'target') <> 'string'
                OR (v_item ->> 'target') NOT IN ('bank', 'branch')) THEN
                RETURN pg_catalog.format('unknown items[%s].target %s: expected bank or branch', v_no,
                    bbase.abbreviate_value((v_item -> 'target')::text));
            END IF;
            -- A JSON null is as missing as an absent key (else the insert fails on NOT NULL).
            IF coalesce(NULLIF(v_item -> 'zenginData', 'null'::jsonb),
                    NULLIF(v_item -> 'currentData', 'null'::jsonb)) IS NULL THEN
                RETURN pg_catalog.format('missing key items[%s].zenginData', v_no);
            END IF;
            v_reason := coalesce(
                zengin_sync.check_zengin_data(pg_catalog.format('items[%s].zenginData', v_no), v_item -> 'zenginData'),
                zengin_sync.check_zengin_data(pg_catalog.format('items[%s].currentData', v_no), v_item -> 'currentData'));
            v_reason := coalesce(v_reason, zengin_sync.check_target(pg_catalog.format('items[%s]', v_no),
                v_item ->> 'target', coalesce(v_item -> 'zenginData', v_item -> 'currentData')));
            IF v_reason IS NOT NULL THEN
                RETURN v_reason;
            END IF;
        END LOOP;
    ELSE
        IF coalesce(NULLIF(p_record -> 'zenginData', 'null'::jsonb),
                NULLIF(p_record -> 'currentData', 'null'::jsonb)) IS NULL THEN
            RETURN 'missing key zenginData';
        END IF;
        v_reason := coalesce(
            zengin_sync.check_zengin_data('zenginData', p_record -> 'zenginData'),
            zengin_sync.check_zengin_data('currentData', p_record -> 'currentData'),
            zengin_sync.check_target('record', p_record ->> 'target',
                coalesce(p_record -> 'zenginData', p_record -> 'currentData')));
        IF v_reason IS NOT NULL THEN
            RETURN v_reason;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION zengin_sync.check_record(jsonb) IS
'Why a plain record pulled from DynamoDB (merged with its S3 body) is malformed, naming the attribute and its (abbreviated) value: missing keys, wrong types, bad id (zengin.is_diff_id)/timestamp, unknown status (zengin.diff_statuses)/diffType/target, a target that contradicts branchCode, ttl/dataSize not a whole number in bigint range, approval without a reviewer, bad bank/branch codes or names over the length limit (zengin_sync.check_zengin_data). NULL when it is well-formed.';
GRANT EXECUTE ON FUNCTION zengin_sync.check_record(jsonb) TO bbase_sync;
