-- Why: the billing time unit (精算単位) rule, "15分未満は切り捨て", in one place:
-- the attendance trigger truncates each day (rounding_scope DAILY), submission
-- truncates the monthly total (rounding_scope MONTHLY).
CREATE OR REPLACE FUNCTION timesheet_context.truncate_to_time_unit(p_minutes integer, p_time_unit_minutes integer)
RETURNS integer
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
    SELECT (p_minutes / p_time_unit_minutes) * p_time_unit_minutes;
$$;

COMMENT ON FUNCTION timesheet_context.truncate_to_time_unit(integer, integer) IS
'Minutes for settlement: p_minutes truncated down to the contract''s time unit (精算単位; 1, 15, 30 or 60 minutes; "15分未満は切り捨て").';

REVOKE EXECUTE ON FUNCTION timesheet_context.truncate_to_time_unit(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timesheet_context.truncate_to_time_unit(integer, integer)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
