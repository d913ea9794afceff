-- requires: sql/functions/contract_context/list_contract_transitions.sql
-- requires: sql/functions/ses_common/is_history_load.sql
-- Why: the signature rule (tg_contracts__require_signatures) guards the way
-- from DRAFT and PENDING_SIGNATURE into ACTIVE; without a state machine a
-- contract CANCELLED before signing, or a COMPLETED one, could be set ACTIVE
-- by an UPDATE and be in force unsigned. Every status change must be a pair
-- of contract_context.list_contract_transitions() (SE214), whoever writes it;
-- the owner's history loads pass (ses_common.is_history_load).
-- SECURITY INVOKER: it reads only the row and an immutable list.
CREATE OR REPLACE FUNCTION contract_context.tg_contracts__enforce_transition()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_allowed text;
BEGIN
    IF EXISTS (
        SELECT FROM contract_context.list_contract_transitions() AS t
        WHERE t.from_status = OLD.status AND t.to_status = NEW.status
    ) OR ses_common.is_history_load(TG_RELID) THEN
        RETURN NEW;
    END IF;
    SELECT coalesce(pg_catalog.string_agg(t.to_status, ', ' ORDER BY t.to_status), 'nothing (a final status)')
    INTO v_allowed
    FROM contract_context.list_contract_transitions() AS t
    WHERE t.from_status = OLD.status;
    RAISE EXCEPTION 'illegal contract status transition % -> % for contract %', OLD.status, NEW.status, OLD.contract_number
        USING ERRCODE = 'SE214',
              DETAIL = pg_catalog.format('contract_id=%s from=%s to=%s', OLD.id, OLD.status, NEW.status),
              HINT = pg_catalog.format('From %s a contract may change to %s (contract_context.list_contract_transitions()).',
                  OLD.status, v_allowed);
END
$$;

COMMENT ON FUNCTION contract_context.tg_contracts__enforce_transition() IS
'Trigger function (BEFORE UPDATE OF status on contracts, when it changes): SE214 unless the pair is in contract_context.list_contract_transitions() or the owner is loading history (ses_common.is_history_load).';

REVOKE EXECUTE ON FUNCTION contract_context.tg_contracts__enforce_transition() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_contracts__enforce_transition
BEFORE UPDATE OF status ON contract_context.contracts
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION contract_context.tg_contracts__enforce_transition();

COMMENT ON TRIGGER tg_contracts__enforce_transition ON contract_context.contracts IS
'Only the status changes of the contract state machine (SE214; see the function).';
