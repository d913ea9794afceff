-- requires: sql/functions/ses_common/emit_event.sql
-- Why: ContractSigned must exist exactly when a contract came into force (both
-- sides signed: DRAFT or PENDING_SIGNATURE -> ACTIVE), in that transaction,
-- however the status was changed; repeating the change emits nothing, and a
-- contract resumed from SUSPENDED is not signed again. SECURITY DEFINER
-- (owner, search_path pinned): no role may call ses_common.emit_event itself.
-- Payload: ids, side, period, monthly price; never the signers' names or
-- e-mail addresses.
CREATE OR REPLACE FUNCTION contract_context.tg_contracts__emit_signed()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM ses_common.emit_event('ContractSigned', 'contract_context', 'contract', NEW.id,
        pg_catalog.jsonb_build_object(
            'contract_id', NEW.id,
            'contract_number', NEW.contract_number,
            'contract_type', NEW.contract_type,
            'contract_side', NEW.contract_side,
            'project_id', NEW.project_id,
            'engineer_id', NEW.engineer_id,
            'customer_id', NEW.customer_id,
            'counterparty_id', NEW.counterparty_id,
            'upstream_contract_id', NEW.upstream_contract_id,
            'status', NEW.status,
            'previous_status', OLD.status,
            'start_date', NEW.start_date,
            'end_date', NEW.end_date,
            'monthly_unit_price', NEW.monthly_unit_price,
            'signed_at', NEW.signed_at
        ));
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION contract_context.tg_contracts__emit_signed() IS
'Trigger function (AFTER UPDATE OF status on contracts, DRAFT/PENDING_SIGNATURE -> ACTIVE): emits ContractSigned with the contract, project, engineer and customer ids, side, period and monthly unit price.';

REVOKE ALL ON FUNCTION contract_context.tg_contracts__emit_signed() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_contracts__emit_signed
AFTER UPDATE OF status ON contract_context.contracts
FOR EACH ROW
WHEN (NEW.status = 'ACTIVE' AND OLD.status IN ('DRAFT', 'PENDING_SIGNATURE'))
EXECUTE FUNCTION contract_context.tg_contracts__emit_signed();

COMMENT ON TRIGGER tg_contracts__emit_signed ON contract_context.contracts IS
'Emits ContractSigned when a contract becomes ACTIVE from DRAFT or PENDING_SIGNATURE.';
