-- requires: sql/functions/contract_context/list_amendable_terms.sql, sql/functions/bbase/raise_invalid.sql
-- Why: an APPLIED amendment decides the terms of its month and every later one
-- (contract_context.terms_for_month), so what may become APPLIED is checked on
-- the table, for every UPDATE and not only apply_amendment: it was APPROVED
-- and its contract is ACTIVE or SUSPENDED (SE194); effective_date is the first
-- day of a month not before the contract's first month; every key of changes
-- is an amendable term (contract_context.list_amendable_terms()) given as
-- {"from": ..., "to": ...} with a "to" of the column's type (SE195 naming the
-- field). And an APPLIED amendment is history: months may have been settled
-- with it, so its changes, effective date, contract and status are frozen
-- (SE196; a correction is a new amendment). An amendment cannot be inserted
-- as APPROVED or APPLIED (tg_contract_amendments__check_insert_status, SE213)
-- except by the owner's history load (ses_common.is_history_load).
-- SECURITY INVOKER: it reads the contract the writer may see (fails closed).
CREATE OR REPLACE FUNCTION contract_context.tg_contract_amendments__check_applied()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_contract contract_context.contracts;
    v_key text;
    v_value jsonb;
BEGIN
    IF OLD.status = 'APPLIED' THEN
        IF NEW.status IS DISTINCT FROM OLD.status OR NEW.changes IS DISTINCT FROM OLD.changes
           OR NEW.effective_date IS DISTINCT FROM OLD.effective_date
           OR NEW.contract_id IS DISTINCT FROM OLD.contract_id THEN
            RAISE EXCEPTION 'contract amendment % is APPLIED: its status, changes, effective date and contract are fixed', OLD.id
                USING ERRCODE = 'SE196', DETAIL = pg_catalog.format('contract_amendment_id=%s', OLD.id),
                      HINT = 'Correct it with a new amendment.';
        END IF;
        RETURN NEW;
    END IF;

    IF OLD.status <> 'APPROVED' THEN
        RAISE EXCEPTION 'contract amendment % is %: only an APPROVED amendment is applied', OLD.id, OLD.status
            USING ERRCODE = 'SE194', DETAIL = pg_catalog.format('contract_amendment_id=%s status=%s', OLD.id, OLD.status);
    END IF;
    SELECT c.* INTO v_contract
    FROM contract_context.contracts AS c
    WHERE c.id = NEW.contract_id AND c.deleted_at IS NULL;
    IF NOT FOUND OR v_contract.status NOT IN ('ACTIVE', 'SUSPENDED') THEN
        RAISE EXCEPTION 'the contract of amendment % is %: amendments apply to ACTIVE or SUSPENDED contracts',
            NEW.id, coalesce(v_contract.status, 'missing')
            USING ERRCODE = 'SE194',
                  DETAIL = pg_catalog.format('contract_id=%s status=%s', NEW.contract_id, v_contract.status);
    END IF;

    IF NEW.effective_date <> pg_catalog.date_trunc('month', NEW.effective_date)::date
       OR NEW.effective_date < pg_catalog.date_trunc('month', v_contract.start_date)::date THEN
        PERFORM bbase.raise_invalid('SE195', 'effective_date', NEW.effective_date::text,
            'the first day of a month, not before the contract''s first month');
    END IF;
    IF NEW.changes = '{}' THEN
        PERFORM bbase.raise_invalid('SE195', 'changes', NEW.changes::text, 'at least one term');
    END IF;
    FOR v_key, v_value IN SELECT ch.key, ch.value FROM pg_catalog.jsonb_each(NEW.changes) AS ch ORDER BY ch.key LOOP
        IF NOT v_key = ANY(contract_context.list_amendable_terms()) THEN
            PERFORM bbase.raise_invalid('SE195', 'changes.' || v_key, v_value::text,
                'not an amendable term (contract_context.list_amendable_terms())');
        END IF;
        IF pg_catalog.jsonb_typeof(v_value) <> 'object' OR NOT v_value ? 'to' THEN
            PERFORM bbase.raise_invalid('SE195', 'changes.' || v_key, v_value::text,
                'an object {"from": ..., "to": ...}');
        END IF;
        BEGIN
            PERFORM pg_catalog.jsonb_populate_record(v_contract, pg_catalog.jsonb_build_object(v_key, v_value -> 'to'));
        EXCEPTION WHEN data_exception THEN
            PERFORM bbase.raise_invalid('SE195', 'changes.' || v_key, (v_value -> 'to')::text,
                'a value of the column''s type');
        END;
    END LOOP;
    NEW.applied_at := coalesce(NEW.applied_at, pg_catalog.now());
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION contract_context.tg_contract_amendments__check_applied() IS
'Trigger function (BEFORE UPDATE on contract_amendments, into or of an APPLIED row): only an APPROVED amendment of an ACTIVE/SUSPENDED contract becomes APPLIED (SE194), effective the first of a month, changing amendable terms only with values of their types (SE195); an APPLIED amendment''s status, changes, effective date and contract are frozen (SE196).';

REVOKE ALL ON FUNCTION contract_context.tg_contract_amendments__check_applied() FROM PUBLIC;

CREATE OR REPLACE TRIGGER tg_contract_amendments__check_applied
BEFORE UPDATE ON contract_context.contract_amendments
FOR EACH ROW
WHEN (NEW.status = 'APPLIED' OR OLD.status = 'APPLIED')
EXECUTE FUNCTION contract_context.tg_contract_amendments__check_applied();

COMMENT ON TRIGGER tg_contract_amendments__check_applied ON contract_context.contract_amendments IS
'Checks an amendment becoming APPLIED (SE194, SE195) and freezes an APPLIED one (SE196).';
