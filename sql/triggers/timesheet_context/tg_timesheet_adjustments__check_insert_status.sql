-- requires: sql/triggers/ses_common/tg_check_insert_status.sql
-- Why: a new adjustment row starts as PENDING; later statuses are reached only
-- through its workflow (SE213 otherwise), for every role, the owner's plain
-- session included; history loads run as the owner with
-- SET LOCAL ses_common.history_load = on (ses_common.is_history_load).
CREATE OR REPLACE TRIGGER tg_timesheet_adjustments__check_insert_status
AFTER INSERT ON timesheet_context.timesheet_adjustments
FOR EACH ROW EXECUTE FUNCTION ses_common.tg_check_insert_status('PENDING');

COMMENT ON TRIGGER tg_timesheet_adjustments__check_insert_status ON timesheet_context.timesheet_adjustments IS
'A new row starts as PENDING (SE213), except in a history load by the owner (ses_common.is_history_load).';
