-- depends: 0192_billing_set_based_close
-- Timesheet adjustments are decided, and customer approval follows the
-- contract's client_approval_gate (ses-domain-rules.md section 6).
--
-- 1. A rejected adjustment keeps its reason and who rejected it when
--    (rejection_reason, rejected_by, rejected_at); approval already has
--    approved_by/approved_at. Project managers decide the adjustments of
--    their projects: they get UPDATE of the decision columns (status,
--    rejection_reason, version) as ses_common.table_grants rows, applied by
--    ses_common.apply_context_grants after the replay, and an UPDATE policy
--    (sql/policies/timesheet_context/timesheet_adjustments.sql). Who stamps the
--    decision, the four-eyes rule and the effect on the timesheet are in
--    sql/triggers/timesheet_context/tg_timesheet_adjustments__decide.sql.
-- 2. A contract whose gate is AFTER_INTERNAL_APPROVAL is approved by us first:
--    SUBMITTED -> INTERNALLY_APPROVED (ours) -> APPROVED (the customer's), so
--    the monthly close, which reads APPROVED, never closes a month the
--    customer has not confirmed. The status CHECK gains INTERNALLY_APPROVED.
ALTER TABLE timesheet_context.timesheet_adjustments
ADD COLUMN rejection_reason text,
ADD COLUMN rejected_by uuid,
ADD COLUMN rejected_at timestamptz,
ADD CONSTRAINT timesheet_adjustments_rejected_has_reason CHECK (
    status <> 'REJECTED' OR (btrim(rejection_reason) <> '' AND rejected_at IS NOT NULL)
);

COMMENT ON COLUMN timesheet_context.timesheet_adjustments.rejection_reason IS
'Why the adjustment was rejected; required for REJECTED.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.rejected_by IS 'User who rejected it.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.rejected_at IS 'When it was rejected.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.status IS
'PENDING (requested), APPROVED (accepted, settled by a later close: amounts, expenses, and anything on a CLOSED timesheet, in applies_to_year/month), REJECTED (nothing changed; rejection_reason says why) or APPLIED (its minutes are in the timesheet''s totals).';

INSERT INTO ses_common.table_grants (schema_name, table_name, role_name, privilege, column_names)
VALUES (
    'timesheet_context', 'timesheet_adjustments', 'ses_project_manager_role', 'UPDATE',
    '{status,rejection_reason,version}'
)
ON CONFLICT (schema_name, table_name, role_name, privilege) DO UPDATE
SET column_names = excluded.column_names;

-- list_timesheet_transitions gains the gates each transition exists for (a
-- new result column: the replay re-creates it).
DROP FUNCTION IF EXISTS timesheet_context.list_timesheet_transitions();

ALTER TABLE timesheet_context.timesheets DROP CONSTRAINT timesheets_status_check;
ALTER TABLE timesheet_context.timesheets ADD CONSTRAINT timesheets_status_check CHECK (
    status IN ('DRAFT', 'SUBMITTED', 'CLIENT_APPROVED', 'INTERNALLY_APPROVED', 'APPROVED', 'CLOSED', 'REJECTED')
);
COMMENT ON COLUMN timesheet_context.timesheets.status IS
'DRAFT, SUBMITTED, CLIENT_APPROVED (the customer approved; we approve next), INTERNALLY_APPROVED (we approved; the customer approves next, client_approval_gate AFTER_INTERNAL_APPROVAL), APPROVED (every approval the contract needs), CLOSED (period locked, invoiced) or REJECTED.';
