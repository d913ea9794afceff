-- requires: sql/triggers/ses_common/tg_check_insert_status.sql
-- Why: a new signature row starts as REQUESTED; later statuses are reached only
-- through its workflow (SE213 otherwise), for every role, the owner's plain
-- session included; history loads run as the owner with
-- SET LOCAL ses_common.history_load = on (ses_common.is_history_load).
CREATE OR REPLACE TRIGGER tg_contract_signatures__check_insert_status
AFTER INSERT ON contract_context.contract_signatures
FOR EACH ROW EXECUTE FUNCTION ses_common.tg_check_insert_status('REQUESTED');

COMMENT ON TRIGGER tg_contract_signatures__check_insert_status ON contract_context.contract_signatures IS
'A new row starts as REQUESTED (SE213), except in a history load by the owner (ses_common.is_history_load).';
