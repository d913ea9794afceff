-- requires: sql/functions/ses_common/emit_event.sql
-- Why: MatchingCompleted must exist exactly when a request became COMPLETED,
-- in that transaction, whoever made the change (complete_matching or a direct
-- UPDATE): a trigger on the status change is the one place that sees every
-- way in. It fires only on the transition into COMPLETED, so repeating the
-- change emits nothing. SECURITY DEFINER (owner, search_path pinned): no role
-- may call ses_common.emit_event itself. The payload is built from the row
-- only: ids, statuses, headcount; no personal data.
CREATE OR REPLACE FUNCTION matching_context.tg_matching_requests__emit_completed()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM ses_common.emit_event('MatchingCompleted', 'matching_context', 'matching_request', NEW.id,
        pg_catalog.jsonb_build_object(
            'matching_request_id', NEW.id,
            'project_id', NEW.project_id,
            'customer_id', NEW.customer_id,
            'status', NEW.status,
            'previous_status', OLD.status,
            'headcount', NEW.headcount,
            'completed_at', NEW.completed_at
        ));
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION matching_context.tg_matching_requests__emit_completed() IS
'Trigger function (AFTER UPDATE OF status on matching_requests, into COMPLETED): emits MatchingCompleted with the request, project and customer ids, statuses and headcount.';

REVOKE ALL ON FUNCTION matching_context.tg_matching_requests__emit_completed() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_matching_requests__emit_completed
AFTER UPDATE OF status ON matching_context.matching_requests
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status = 'COMPLETED')
EXECUTE FUNCTION matching_context.tg_matching_requests__emit_completed();

COMMENT ON TRIGGER tg_matching_requests__emit_completed ON matching_context.matching_requests IS
'Emits MatchingCompleted when a matching request becomes COMPLETED.';
