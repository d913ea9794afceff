-- requires: sql/functions/ses_common/emit_event.sql
-- Why: the document's events that announce a status change of one row
-- (ProjectOrdered, ContractSigned, MatchingCompleted) are the same code: on
-- the transition the trigger's WHEN clause selects, emit one event in the
-- transaction of the change, its payload the row's id, named columns, and
-- the status it came from. Written once here; each table attaches it with
-- its arguments (tg_projects__emit_ordered, tg_contracts__emit_signed,
-- tg_matching_requests__emit_completed):
--   TG_ARGV[0] event type, [1] aggregate type, [2] payload key of the row id,
--   [3..] columns copied into the payload under their own names.
-- The source context is the table's schema. The columns are chosen by the
-- attaching file and are ids, statuses, dates and amounts: never personal
-- data. SECURITY DEFINER (owner, search_path pinned): no role may call
-- ses_common.emit_event itself; trigger functions cannot be called directly.
CREATE OR REPLACE FUNCTION ses_common.tg_emit_status_event()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row jsonb := pg_catalog.to_jsonb(NEW);
    v_payload jsonb;
BEGIN
    SELECT coalesce(pg_catalog.jsonb_object_agg(c.name, v_row -> c.name), '{}')
    INTO v_payload
    FROM pg_catalog.unnest(TG_ARGV[3:]) AS c (name);
    PERFORM ses_common.emit_event(TG_ARGV[0], TG_TABLE_SCHEMA, TG_ARGV[1], NEW.id,
        pg_catalog.jsonb_build_object(TG_ARGV[2], NEW.id, 'previous_status', OLD.status) || v_payload);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ses_common.tg_emit_status_event() IS
'Trigger function (AFTER UPDATE OF status, attached with arguments: event type, aggregate type, payload key of the row id, then the columns to copy): emits the event in the transaction of the change, payload {<id key>: id, previous_status: OLD.status, <column>: NEW.<column>...}, source context the table''s schema.';

REVOKE ALL ON FUNCTION ses_common.tg_emit_status_event() FROM PUBLIC;
