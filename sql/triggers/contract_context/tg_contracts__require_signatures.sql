-- Why: a contract is in force only when both sides have signed. sign_contract
-- moves it to ACTIVE at the second signature, but an UPDATE of the status is
-- another way in, so the rule sits on the table: any move from DRAFT or
-- PENDING_SIGNATURE to ACTIVE needs a SIGNED, not deleted signature of the
-- COMPANY and of the COUNTERPARTY, else SE193. It also stamps signed_at.
-- SECURITY INVOKER on purpose: it reads the signatures the writer may see; a
-- writer who cannot see them is refused (fails closed). A contract cannot be
-- inserted as ACTIVE (tg_contracts__check_insert_status, SE213) except by the
-- owner's history load (ses_common.is_history_load), nor set ACTIVE from any
-- other status than these and SUSPENDED (tg_contracts__enforce_transition).
CREATE OR REPLACE FUNCTION contract_context.tg_contracts__require_signatures()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_missing text[];
BEGIN
    SELECT pg_catalog.array_agg(p.party ORDER BY p.party) INTO v_missing
    FROM (VALUES ('COMPANY'), ('COUNTERPARTY')) AS p (party)
    WHERE NOT EXISTS (
        SELECT FROM contract_context.contract_signatures AS s
        WHERE s.contract_id = NEW.id AND s.signer_party = p.party
          AND s.status = 'SIGNED' AND s.deleted_at IS NULL
    );
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'contract % cannot become ACTIVE: not signed by %', NEW.contract_number,
            pg_catalog.array_to_string(v_missing, ' and ')
            USING ERRCODE = 'SE193',
                  DETAIL = pg_catalog.format('contract_id=%s missing=%s', NEW.id, pg_catalog.array_to_string(v_missing, ',')),
                  HINT = 'Record both signatures with contract_context.sign_contract.';
    END IF;
    NEW.signed_at := coalesce(NEW.signed_at, pg_catalog.now());
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION contract_context.tg_contracts__require_signatures() IS
'Trigger function (BEFORE UPDATE OF status on contracts, DRAFT/PENDING_SIGNATURE -> ACTIVE): refuses with SE193 unless both COMPANY and COUNTERPARTY have a SIGNED signature; sets signed_at.';

REVOKE ALL ON FUNCTION contract_context.tg_contracts__require_signatures() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_contracts__require_signatures
BEFORE UPDATE OF status ON contract_context.contracts
FOR EACH ROW
WHEN (NEW.status = 'ACTIVE' AND OLD.status IN ('DRAFT', 'PENDING_SIGNATURE'))
EXECUTE FUNCTION contract_context.tg_contracts__require_signatures();

COMMENT ON TRIGGER tg_contracts__require_signatures ON contract_context.contracts IS
'A contract becomes ACTIVE only with both sides'' signatures (SE193).';
