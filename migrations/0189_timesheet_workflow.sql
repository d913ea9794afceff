-- depends: 0188_ses_event_consumers
-- The timesheet workflow (ses-domain-rules.md section 6): what the functions
-- and triggers under sql/functions/timesheet_context and
-- sql/triggers/timesheet_context need from the schema.
--
-- 1. An ALERT step (hours outside the settlement range) must be acknowledged
--    by a reviewer before internal approval. The approval trail stays
--    append-only: the acknowledgement is a step of its own, action
--    ACKNOWLEDGE, so the action CHECK gains it.
-- 2. Daily minutes are computed by the database from start, end, break and the
--    contract's time unit and rounding scope. The attendance trigger runs as
--    the engineer who records the day (row-level security applies), so the
--    engineer needs to read rounding_scope of their own contracts, a billing
--    rule like time_unit_minutes they already read (no price). One
--    ses_common.table_grants row gains the column; apply_context_grants
--    (post-install) grants it.
ALTER TABLE timesheet_context.timesheet_approval_steps
DROP CONSTRAINT timesheet_approval_steps_action_check;
ALTER TABLE timesheet_context.timesheet_approval_steps
ADD CONSTRAINT timesheet_approval_steps_action_check CHECK (
    action IN ('SUBMIT', 'CLIENT_APPROVE', 'APPROVE', 'REJECT', 'CLOSE', 'REOPEN', 'ALERT', 'ACKNOWLEDGE')
);

COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.action IS
'SUBMIT, CLIENT_APPROVE, APPROVE, REJECT, CLOSE, REOPEN (a rejected timesheet back to DRAFT), ALERT (billable hours outside the settlement range, recorded at submission) or ACKNOWLEDGE (a reviewer looked at the ALERT; internal approval needs it).';

UPDATE ses_common.table_grants
SET column_names = column_names || ARRAY['rounding_scope'::name]
WHERE
    schema_name = 'contract_context' AND table_name = 'contracts'
    AND role_name = 'ses_engineer_role' AND privilege = 'SELECT'
    AND NOT 'rounding_scope' = ANY(column_names);
