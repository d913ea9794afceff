-- requires: sql/triggers/ses_common/tg_emit_status_event.sql
-- Why: MatchingCompleted must exist exactly when a request became COMPLETED,
-- in that transaction, whoever made the change (complete_matching or a direct
-- UPDATE): a trigger on the status change is the one place that sees every
-- way in. It fires only on the transition into COMPLETED, so repeating the
-- change emits nothing. The shared ses_common.tg_emit_status_event emits it.
-- Payload: ids, statuses, headcount; no personal data.
CREATE OR REPLACE TRIGGER tg_matching_requests__emit_completed
AFTER UPDATE OF status ON matching_context.matching_requests
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status = 'COMPLETED')
EXECUTE FUNCTION ses_common.tg_emit_status_event(
    'MatchingCompleted', 'matching_request', 'matching_request_id',
    'project_id', 'customer_id', 'status', 'headcount', 'completed_at'
);

COMMENT ON TRIGGER tg_matching_requests__emit_completed ON matching_context.matching_requests IS
'Emits MatchingCompleted when a matching request becomes COMPLETED: request, project and customer ids, statuses and headcount.';
