-- requires: sql/triggers/ses_common/tg_check_insert_status.sql
-- Why: a new contract row starts as DRAFT; later statuses are reached only
-- through its workflow (SE213 otherwise), for every role, the owner's plain
-- session included; history loads run as the owner with
-- SET LOCAL ses_common.history_load = on (ses_common.is_history_load).
CREATE OR REPLACE TRIGGER tg_contracts__check_insert_status
AFTER INSERT ON contract_context.contracts
FOR EACH ROW EXECUTE FUNCTION ses_common.tg_check_insert_status('DRAFT');

COMMENT ON TRIGGER tg_contracts__check_insert_status ON contract_context.contracts IS
'A new row starts as DRAFT (SE213), except in a history load by the owner (ses_common.is_history_load).';
