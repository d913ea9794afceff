-- Why: on a partitioned SES table an UPDATE that changes the partition key
-- would move the row to another partition, which PostgreSQL does as a DELETE
-- plus an INSERT; the soft-delete trigger cancels that DELETE, so the UPDATE
-- would silently do nothing. The period of a timesheet, the year of an
-- invoice or analytics row and the creation time of a notification are facts
-- that never change: changing one fails clearly (SE004) instead.
-- Attached as tg_<table>__freeze_partition_key (BEFORE UPDATE) to each
-- partitioned SES table by attach_common_triggers, with the partition key
-- columns as trigger arguments.
CREATE OR REPLACE FUNCTION ses_common.tg_freeze_partition_key()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_new jsonb := pg_catalog.to_jsonb(NEW);
    v_old jsonb := pg_catalog.to_jsonb(OLD);
    v_column text;
BEGIN
    FOREACH v_column IN ARRAY TG_ARGV LOOP
        IF (v_new -> v_column) IS DISTINCT FROM (v_old -> v_column) THEN
            RAISE EXCEPTION 'cannot change % of % row %: the partition key is fixed once recorded (% -> %)',
                v_column, coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::regclass), OLD.id,
                v_old ->> v_column, v_new ->> v_column
                USING ERRCODE = 'SE004',
                      DETAIL = pg_catalog.format('column=%s old=%s new=%s', v_column,
                                                 v_old ->> v_column, v_new ->> v_column),
                      HINT = 'Soft-delete the row and insert a corrected one (or record an adjustment).',
                      COLUMN = v_column;
        END IF;
    END LOOP;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION ses_common.tg_freeze_partition_key() IS
'Trigger function (BEFORE UPDATE, partitioned SES tables; arguments: the partition key columns): raises SE004 when an UPDATE changes a partition key column, which would otherwise be lost to the soft-delete trigger.';
