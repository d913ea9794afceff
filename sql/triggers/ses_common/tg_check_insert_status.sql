-- requires: sql/functions/ses_common/is_history_load.sql
-- Why: a workflow that guards its status changes is bypassed by inserting the
-- row in the status the workflow would have led to (a contract INSERTed as
-- ACTIVE without signatures, a timesheet as APPROVED, an adjustment as
-- APPLIED). One trigger function for every table whose statuses a workflow
-- owns: a new row starts in one of the statuses named as trigger arguments
-- (the workflow's first ones), else SE213; the owner's history loads pass
-- (ses_common.is_history_load). It runs AFTER INSERT, so a role the policy
-- refuses gets the policy's 42501 first. Attached per table by the trigger
-- files tg_<table>__check_insert_status.
-- SECURITY INVOKER: it reads only the new row and the catalog.
CREATE OR REPLACE FUNCTION ses_common.tg_check_insert_status()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    IF NEW.status = ANY(TG_ARGV) OR ses_common.is_history_load(TG_RELID) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'a new % row starts as %, not %', coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID)::regclass,
        pg_catalog.array_to_string(TG_ARGV, ' or '), NEW.status
        USING ERRCODE = 'SE213',
              DETAIL = pg_catalog.format('table=%s status=%s allowed=%s',
                  coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID)::regclass, NEW.status,
                  pg_catalog.array_to_string(TG_ARGV, ',')),
              HINT = 'Insert it in its first status and move it through its workflow functions; a history load runs as the owner with SET LOCAL ses_common.history_load = on.';
END
$$;

COMMENT ON FUNCTION ses_common.tg_check_insert_status() IS
'Trigger function (AFTER INSERT, attached with the allowed first statuses as arguments): SE213 when a new row''s status is not one of them, unless it is a history load by the owner (ses_common.is_history_load).';

REVOKE EXECUTE ON FUNCTION ses_common.tg_check_insert_status() FROM PUBLIC;
