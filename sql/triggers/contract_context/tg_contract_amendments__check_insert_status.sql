-- requires: sql/triggers/ses_common/tg_check_insert_status.sql
-- Why: a new amendment row starts as DRAFT, PENDING_SIGNATURE or APPROVED
-- (no function approves amendments yet: a project manager may write APPROVED
-- by UPDATE as well); APPLIED, which changes the terms of months, is reached
-- only through apply_amendment and its checks (SE213 otherwise), for every
-- role, the owner's plain session included; history loads run as the owner with
-- SET LOCAL ses_common.history_load = on (ses_common.is_history_load).
CREATE OR REPLACE TRIGGER tg_contract_amendments__check_insert_status
AFTER INSERT ON contract_context.contract_amendments
FOR EACH ROW EXECUTE FUNCTION ses_common.tg_check_insert_status('DRAFT', 'PENDING_SIGNATURE', 'APPROVED');

COMMENT ON TRIGGER tg_contract_amendments__check_insert_status ON contract_context.contract_amendments IS
'A new row starts as DRAFT, PENDING_SIGNATURE or APPROVED, never APPLIED (SE213), except in a history load by the owner (ses_common.is_history_load).';
