-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: an approved amendment is put in force from its month. The contract row
-- is not rewritten (months before the amendment keep their terms); the
-- amendment becomes APPLIED and contract_context.terms_for_month overlays it
-- from its effective month on. What may become APPLIED is checked by the
-- trigger tg_contract_amendments__check_applied (every UPDATE passes it, not
-- only this function): the amendment is APPROVED and its contract ACTIVE or
-- SUSPENDED (SE194), its effective_date the first day of a month not before
-- the contract's, every key of changes an amendable term whose {"to": value}
-- fits the column's type (SE195 naming the field). p_expected_version is the
-- amendment version read (SE001 through tg_bump_version). Safe to repeat: an
-- APPLIED amendment is left alone and the answer is false.
-- SECURITY INVOKER: the caller's row-level security decides which amendments
-- it may apply (a project manager: those of their projects; SE190 otherwise).
CREATE OR REPLACE FUNCTION contract_context.apply_amendment(
    p_amendment_id uuid,
    p_expected_version integer
) RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_amendment contract_context.contract_amendments;
BEGIN
    IF p_amendment_id IS NULL THEN
        PERFORM bbase.raise_invalid('SE195', 'p_amendment_id', p_amendment_id::text,
            'the amendment id is required');
    END IF;
    IF p_expected_version IS NULL OR p_expected_version < 1 THEN
        PERFORM bbase.raise_invalid('SE195', 'p_expected_version', p_expected_version::text,
            'the version of the amendment as read (1 or more)');
    END IF;

    SELECT a.* INTO v_amendment
    FROM contract_context.contract_amendments AS a
    WHERE a.id = p_amendment_id AND a.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'contract amendment % does not exist or is not yours', p_amendment_id
            USING ERRCODE = 'SE190', DETAIL = pg_catalog.format('contract_amendment_id=%s', p_amendment_id);
    END IF;
    IF v_amendment.status = 'APPLIED' THEN
        RETURN FALSE;
    END IF;
    UPDATE contract_context.contract_amendments AS a
    SET status = 'APPLIED', applied_at = pg_catalog.now(), version = p_expected_version
    WHERE a.id = p_amendment_id;
    RETURN TRUE;
END
$$;

COMMENT ON FUNCTION contract_context.apply_amendment(uuid, integer) IS
'Put APPROVED contract amendment p_amendment_id (read at version p_expected_version, else SE001) in force from its effective month: it becomes APPLIED and contract_context.terms_for_month uses it for that month and later; the contract row keeps the signed terms. Returns false when already APPLIED. SE190 missing or not yours, SE194 not APPROVED or contract not ACTIVE/SUSPENDED, SE195 effective_date not a first of month in the contract, or a change that is not an amendable term or does not fit its column.';

REVOKE EXECUTE ON FUNCTION contract_context.apply_amendment(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contract_context.apply_amendment(uuid, integer) TO ses_admin_role, ses_project_manager_role;
