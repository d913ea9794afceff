-- Why: every partitioned SES table has a DEFAULT partition that must stay
-- empty (see migration 0135_timesheet_context for the reasons). A row that no
-- period partition holds lands there and this trigger refuses it with SE003,
-- naming the table, the key and the function that creates the partition.
-- Attached as tg_<table>_default__reject_row (BEFORE INSERT) to the default
-- partition by attach_common_triggers; arguments: the parent table, then the
-- partition key columns.
CREATE OR REPLACE FUNCTION ses_common.tg_reject_unpartitioned_row()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_new jsonb := pg_catalog.to_jsonb(NEW);
    v_key text;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.format('%s=%s', k.col, v_new ->> k.col), ' ' ORDER BY k.ord)
    INTO v_key
    FROM unnest(TG_ARGV[1:TG_NARGS - 1]) WITH ORDINALITY AS k (col, ord);
    RAISE EXCEPTION 'no partition of % holds the row (%)', TG_ARGV[0], v_key
        USING ERRCODE = 'SE003',
              DETAIL = pg_catalog.format('table=%s %s', TG_ARGV[0], v_key),
              HINT = pg_catalog.format(
                  'Create the partition: SELECT ses_common.create_partitions(%L, <first day>, <last day>); '
                  'partitions ahead of today come from ses_common.create_partitions_ahead().',
                  TG_ARGV[0]);
END
$$;

COMMENT ON FUNCTION ses_common.tg_reject_unpartitioned_row() IS
'Trigger function (BEFORE INSERT on the DEFAULT partition of each partitioned SES table; arguments: parent table, partition key columns): refuses every row with SE003 and says how to create the missing partition, so the default partition stays empty.';
