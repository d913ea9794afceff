-- requires: sql/triggers/ses_common/tg_emit_status_event.sql
-- Why: ProjectOrdered (受注) must exist exactly when a project was won, in the
-- transaction of that change, whoever made it: a trigger on the status change
-- sees every way in. It fires on the move from a pre-order status (DRAFT,
-- OPEN, PROPOSING) into ORDERED only: repeating the update emits nothing, and
-- a project resumed from ON_HOLD was ordered long ago and is not ordered
-- again. The shared ses_common.tg_emit_status_event emits it. Payload: ids,
-- statuses, period, budget, headcount; no personal data.
CREATE OR REPLACE TRIGGER tg_projects__emit_ordered
AFTER UPDATE OF status ON project_context.projects
FOR EACH ROW
WHEN (NEW.status = 'ORDERED' AND OLD.status IN ('DRAFT', 'OPEN', 'PROPOSING'))
EXECUTE FUNCTION ses_common.tg_emit_status_event(
    'ProjectOrdered', 'project', 'project_id',
    'project_code', 'customer_id', 'status', 'start_date', 'end_date', 'budget_amount', 'required_headcount',
    'contract_type'
);

COMMENT ON TRIGGER tg_projects__emit_ordered ON project_context.projects IS
'Emits ProjectOrdered when a project moves from DRAFT, OPEN or PROPOSING to ORDERED: project and customer ids, code, statuses, period, budget and headcount.';
