-- Roll back the timesheet workflow: its functions and triggers (replayed from
-- sql/ only while the migration is applied), the ACKNOWLEDGE action and the
-- engineer's read of rounding_scope.
DROP TRIGGER IF EXISTS tg_timesheets__enforce_transition ON timesheet_context.timesheets;
DROP TRIGGER IF EXISTS tg_timesheets__check_transition ON timesheet_context.timesheets;
DROP TRIGGER IF EXISTS tg_timesheets__record_transition ON timesheet_context.timesheets;
DROP TRIGGER IF EXISTS tg_daily_attendances__compute_minutes ON timesheet_context.daily_attendances;
DROP TRIGGER IF EXISTS tg_daily_attendances__refuse_after_submission ON timesheet_context.daily_attendances;
DROP TRIGGER IF EXISTS tg_daily_attendances__refuse_delete_after_submission ON timesheet_context.daily_attendances;
DROP FUNCTION IF EXISTS timesheet_context.tg_timesheets__enforce_transition();
DROP FUNCTION IF EXISTS timesheet_context.tg_timesheets__record_transition();
DROP FUNCTION IF EXISTS timesheet_context.tg_daily_attendances__compute_minutes();
DROP FUNCTION IF EXISTS timesheet_context.tg_daily_attendances__refuse_after_submission();
DROP FUNCTION IF EXISTS timesheet_context.request_timesheet_adjustment(uuid, integer, text, integer, numeric, text);
DROP FUNCTION IF EXISTS timesheet_context.record_attendance(uuid, date, time, time, integer, text, text, integer);
DROP FUNCTION IF EXISTS timesheet_context.submit_timesheet(uuid, integer);
DROP FUNCTION IF EXISTS timesheet_context.approve_timesheet_as_customer(uuid, integer);
DROP FUNCTION IF EXISTS timesheet_context.approve_timesheet_internally(uuid, integer);
DROP FUNCTION IF EXISTS timesheet_context.acknowledge_timesheet_alert(uuid, integer, text);
DROP FUNCTION IF EXISTS timesheet_context.reject_timesheet(uuid, integer, text);
DROP FUNCTION IF EXISTS timesheet_context.close_timesheet(uuid, integer);
DROP FUNCTION IF EXISTS timesheet_context.change_timesheet_status(uuid, integer, text, text);
DROP FUNCTION IF EXISTS timesheet_context.has_unacknowledged_alert(uuid);
DROP FUNCTION IF EXISTS timesheet_context.compute_work_minutes(time, time, integer);
DROP FUNCTION IF EXISTS timesheet_context.truncate_to_time_unit(integer, integer);
DROP FUNCTION IF EXISTS timesheet_context.list_timesheet_transitions();
DROP FUNCTION IF EXISTS timesheet_context.writes_as_owner();

UPDATE ses_common.table_grants
SET column_names = array_remove(column_names, 'rounding_scope'::name)
WHERE
    schema_name = 'contract_context' AND table_name = 'contracts'
    AND role_name = 'ses_engineer_role' AND privilege = 'SELECT';
REVOKE SELECT (rounding_scope) ON contract_context.contracts FROM ses_engineer_role;

DELETE FROM timesheet_context.timesheet_approval_steps WHERE action = 'ACKNOWLEDGE';
ALTER TABLE timesheet_context.timesheet_approval_steps
DROP CONSTRAINT timesheet_approval_steps_action_check;
ALTER TABLE timesheet_context.timesheet_approval_steps
ADD CONSTRAINT timesheet_approval_steps_action_check CHECK (
    action IN ('SUBMIT', 'CLIENT_APPROVE', 'APPROVE', 'REJECT', 'CLOSE', 'REOPEN', 'ALERT')
);
