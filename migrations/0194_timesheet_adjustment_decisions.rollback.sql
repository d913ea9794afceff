-- Roll back the adjustment decisions and the INTERNALLY_APPROVED status.
DROP TRIGGER IF EXISTS tg_timesheet_adjustments__decide ON timesheet_context.timesheet_adjustments;
DROP TRIGGER IF EXISTS tg_timesheet_adjustments__apply_decision ON timesheet_context.timesheet_adjustments;
DROP FUNCTION IF EXISTS timesheet_context.tg_timesheet_adjustments__decide();
DROP FUNCTION IF EXISTS timesheet_context.tg_timesheet_adjustments__apply_decision();
DROP FUNCTION IF EXISTS timesheet_context.approve_timesheet_adjustment(uuid, integer);
DROP FUNCTION IF EXISTS timesheet_context.reject_timesheet_adjustment(uuid, integer, text);
DROP FUNCTION IF EXISTS timesheet_context.decide_timesheet_adjustment(uuid, integer, text, text);
DROP FUNCTION IF EXISTS timesheet_context.read_client_approval_gate(uuid, integer, integer);
DROP FUNCTION IF EXISTS timesheet_context.find_timesheet_target(uuid, text, text);
DROP POLICY IF EXISTS "Project managers can decide the adjustments of their projects"
ON timesheet_context.timesheet_adjustments;

DELETE FROM ses_common.table_grants
WHERE
    schema_name = 'timesheet_context' AND table_name = 'timesheet_adjustments'
    AND role_name = 'ses_project_manager_role' AND privilege = 'UPDATE';
REVOKE UPDATE ON timesheet_context.timesheet_adjustments FROM ses_project_manager_role;

ALTER TABLE timesheet_context.timesheet_adjustments
DROP CONSTRAINT timesheet_adjustments_rejected_has_reason,
DROP COLUMN rejection_reason,
DROP COLUMN rejected_by,
DROP COLUMN rejected_at;

-- Timesheets left INTERNALLY_APPROVED keep their status (NOT VALID): move them
-- on (customer approval) before rolling back if the old check must hold.
ALTER TABLE timesheet_context.timesheets DROP CONSTRAINT timesheets_status_check;
ALTER TABLE timesheet_context.timesheets ADD CONSTRAINT timesheets_status_check CHECK (
    status IN ('DRAFT', 'SUBMITTED', 'CLIENT_APPROVED', 'APPROVED', 'CLOSED', 'REJECTED')
) NOT VALID;
