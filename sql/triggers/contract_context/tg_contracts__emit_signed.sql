-- requires: sql/triggers/ses_common/tg_emit_status_event.sql
-- Why: ContractSigned must exist exactly when a contract came into force (both
-- sides signed: DRAFT or PENDING_SIGNATURE -> ACTIVE), in that transaction,
-- however the status was changed; repeating the change emits nothing, and a
-- contract resumed from SUSPENDED is not signed again. The shared
-- ses_common.tg_emit_status_event emits it. Payload: ids, side, period,
-- monthly price; never the signers' names or e-mail addresses.
CREATE OR REPLACE TRIGGER tg_contracts__emit_signed
AFTER UPDATE OF status ON contract_context.contracts
FOR EACH ROW
WHEN (NEW.status = 'ACTIVE' AND OLD.status IN ('DRAFT', 'PENDING_SIGNATURE'))
EXECUTE FUNCTION ses_common.tg_emit_status_event(
    'ContractSigned', 'contract', 'contract_id',
    'contract_number', 'contract_type', 'contract_side', 'project_id', 'engineer_id', 'customer_id',
    'counterparty_id', 'upstream_contract_id', 'status', 'start_date', 'end_date', 'monthly_unit_price',
    'signed_at'
);

COMMENT ON TRIGGER tg_contracts__emit_signed ON contract_context.contracts IS
'Emits ContractSigned when a contract becomes ACTIVE from DRAFT or PENDING_SIGNATURE: contract, project, engineer and customer ids, side, period and monthly unit price.';
