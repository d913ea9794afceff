-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: signing is two events from two parties; the contract comes into force
-- at the second. This records one side's signature on the open signature
-- request of that side (made when the contract was sent out, with the signer's
-- name and encrypted e-mail, which this function never reads) and moves the
-- contract to PENDING_SIGNATURE, or to ACTIVE when the other side has signed
-- too (tg_contracts__require_signatures checks it again; tg_contracts__emit_signed
-- emits ContractSigned in this transaction). Each signature bumps the
-- contract's version: p_expected_version is the version the caller read (SE001
-- otherwise). Safe to repeat: a side that has already signed is not signed
-- again; the answer says changed = false and nothing is written.
-- SECURITY INVOKER: the caller's row-level security decides which contracts it
-- may sign for (a project manager: those of their projects; SE190 otherwise).
CREATE OR REPLACE FUNCTION contract_context.sign_contract(
    p_contract_id uuid,
    p_side text,
    p_expected_version integer,
    p_document_sha256 text DEFAULT NULL
) RETURNS TABLE (contract_status text, changed boolean)
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
#variable_conflict use_column
DECLARE
    v_contract contract_context.contracts;
    v_signature_id uuid;
    v_other_signed boolean;
BEGIN
    IF p_contract_id IS NULL THEN
        PERFORM bbase.raise_invalid('SE195', 'p_contract_id', p_contract_id::text, 'the contract id is required');
    END IF;
    IF p_side IS NULL OR p_side NOT IN ('COMPANY', 'COUNTERPARTY') THEN
        PERFORM bbase.raise_invalid('SE195', 'p_side', p_side, 'COMPANY or COUNTERPARTY');
    END IF;
    IF p_expected_version IS NULL OR p_expected_version < 1 THEN
        PERFORM bbase.raise_invalid('SE195', 'p_expected_version', p_expected_version::text,
            'the version of the contract as read (1 or more)');
    END IF;
    IF p_document_sha256 IS NOT NULL AND p_document_sha256 !~ '^[0-9a-f]{64}$' THEN
        PERFORM bbase.raise_invalid('SE195', 'p_document_sha256', p_document_sha256,
            'the SHA-256 of the signed document, 64 lower-case hex digits');
    END IF;

    SELECT c.* INTO v_contract
    FROM contract_context.contracts AS c
    WHERE c.id = p_contract_id AND c.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'contract % does not exist or is not yours', p_contract_id
            USING ERRCODE = 'SE190', DETAIL = pg_catalog.format('contract_id=%s', p_contract_id),
                  HINT = 'Check the id; a project manager signs only the contracts of their projects.';
    END IF;

    IF EXISTS (
        SELECT FROM contract_context.contract_signatures AS s
        WHERE s.contract_id = p_contract_id AND s.signer_party = p_side AND s.status = 'SIGNED' AND s.deleted_at IS NULL
    ) THEN
        RETURN QUERY SELECT v_contract.status, FALSE;
        RETURN;
    END IF;
    IF v_contract.version <> p_expected_version THEN
        RAISE EXCEPTION 'stale version of contract %: you read version %, it is at version %',
            v_contract.contract_number, p_expected_version, v_contract.version
            USING ERRCODE = 'SE001',
                  DETAIL = pg_catalog.format('id=%s expected_version=%s current_version=%s',
                                             p_contract_id, p_expected_version, v_contract.version),
                  HINT = 'The contract changed after you read it: read it again and redo your change.';
    END IF;
    IF v_contract.status NOT IN ('DRAFT', 'PENDING_SIGNATURE') THEN
        RAISE EXCEPTION 'contract % is %: only DRAFT or PENDING_SIGNATURE contracts are signed',
            v_contract.contract_number, v_contract.status
            USING ERRCODE = 'SE192', DETAIL = pg_catalog.format('contract_id=%s status=%s', p_contract_id, v_contract.status);
    END IF;

    SELECT s.id INTO v_signature_id
    FROM contract_context.contract_signatures AS s
    WHERE s.contract_id = p_contract_id AND s.signer_party = p_side AND s.status = 'REQUESTED'
      AND s.deleted_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > pg_catalog.now())
    ORDER BY s.requested_at DESC, s.id
    LIMIT 1
    FOR UPDATE;
    IF v_signature_id IS NULL THEN
        RAISE EXCEPTION 'contract % has no open signature request for the % side', v_contract.contract_number, p_side
            USING ERRCODE = 'SE192', DETAIL = pg_catalog.format('contract_id=%s side=%s', p_contract_id, p_side),
                  HINT = 'Request the signature first (a REQUESTED row in contract_signatures, not expired).';
    END IF;

    UPDATE contract_context.contract_signatures AS s
    SET status = 'SIGNED', signed_at = pg_catalog.now(), document_sha256 = coalesce(p_document_sha256, s.document_sha256)
    WHERE s.id = v_signature_id;

    v_other_signed := EXISTS (
        SELECT FROM contract_context.contract_signatures AS s
        WHERE s.contract_id = p_contract_id AND s.signer_party <> p_side AND s.status = 'SIGNED' AND s.deleted_at IS NULL
    );
    UPDATE contract_context.contracts AS c
    SET status = CASE WHEN v_other_signed THEN 'ACTIVE' ELSE 'PENDING_SIGNATURE' END,
        version = p_expected_version
    WHERE c.id = p_contract_id;

    RETURN QUERY SELECT CASE WHEN v_other_signed THEN 'ACTIVE' ELSE 'PENDING_SIGNATURE' END, TRUE;
END
$$;

COMMENT ON FUNCTION contract_context.sign_contract(uuid, text, integer, text) IS
'Record the signature of side p_side (COMPANY or COUNTERPARTY) on contract p_contract_id, read at version p_expected_version (else SE001), on that side''s open REQUESTED signature row; the contract becomes PENDING_SIGNATURE, or ACTIVE (ContractSigned) when both sides have signed. Returns the contract status and changed = false when that side had already signed. SE190 contract missing or not yours, SE192 contract not awaiting signatures or no open request for the side, SE195 bad argument.';

REVOKE EXECUTE ON FUNCTION contract_context.sign_contract(uuid, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contract_context.sign_contract(uuid, text, integer, text) TO ses_admin_role, ses_project_manager_role;
