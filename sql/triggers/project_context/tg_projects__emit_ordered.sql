-- requires: sql/functions/ses_common/emit_event.sql
-- Why: ProjectOrdered (受注) must exist exactly when a project was won, in the
-- transaction of that change, whoever made it: a trigger on the status change
-- sees every way in. It fires on the move from a pre-order status (DRAFT,
-- OPEN, PROPOSING) into ORDERED only: repeating the update emits nothing, and
-- a project resumed from ON_HOLD was ordered long ago and is not ordered
-- again. A project inserted as ORDERED is history being loaded (the seed, an
-- import) and emits nothing. SECURITY DEFINER (owner, search_path pinned): no
-- role may call ses_common.emit_event itself. Payload: ids, statuses, period,
-- budget, headcount; no personal data.
CREATE OR REPLACE FUNCTION project_context.tg_projects__emit_ordered()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM ses_common.emit_event('ProjectOrdered', 'project_context', 'project', NEW.id,
        pg_catalog.jsonb_build_object(
            'project_id', NEW.id,
            'project_code', NEW.project_code,
            'customer_id', NEW.customer_id,
            'status', NEW.status,
            'previous_status', OLD.status,
            'start_date', NEW.start_date,
            'end_date', NEW.end_date,
            'budget_amount', NEW.budget_amount,
            'required_headcount', NEW.required_headcount,
            'contract_type', NEW.contract_type
        ));
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION project_context.tg_projects__emit_ordered() IS
'Trigger function (AFTER UPDATE OF status on projects, DRAFT/OPEN/PROPOSING -> ORDERED): emits ProjectOrdered with the project and customer ids, code, statuses, period, budget and headcount.';

REVOKE ALL ON FUNCTION project_context.tg_projects__emit_ordered() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_projects__emit_ordered
AFTER UPDATE OF status ON project_context.projects
FOR EACH ROW
WHEN (NEW.status = 'ORDERED' AND OLD.status IN ('DRAFT', 'OPEN', 'PROPOSING'))
EXECUTE FUNCTION project_context.tg_projects__emit_ordered();

COMMENT ON TRIGGER tg_projects__emit_ordered ON project_context.projects IS
'Emits ProjectOrdered when a project moves from DRAFT, OPEN or PROPOSING to ORDERED.';
