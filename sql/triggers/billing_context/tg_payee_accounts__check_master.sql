-- requires: sql/functions/billing_context/find_zengin_branches.sql, sql/functions/billing_context/is_zengin_installed.sql
-- Why: a payee account on a bank or branch the Zengin master does not know is
-- a transfer the bank returns days later, fee lost and partner unpaid. So
-- when an account's codes are written (registration or change) they are
-- looked up in the master:
-- * bank or branch missing: refused, SE141 naming the codes;
-- * found: master_check VERIFIED, verified_at now, the snapshot names
--   bank_name/branch_name taken from the master (never typed in), and an
--   INVALID account whose codes were changed is ACTIVE again (re-registered:
--   the reason is cleared);
-- * this database has no Zengin master (an SES context installed alone):
--   master_check NOT_VERIFIABLE, verified_at NULL: written, never silently
--   passed; the transfer file refuses to run without the master anyway.
-- The master's branch row is locked FOR KEY SHARE, so a registration and a
-- diff deleting that branch at the same time are serialised: either the diff
-- waits and then invalidates the new account, or the registration waits and
-- then finds no branch (SE141). Never an ACTIVE account on a deleted branch.
-- SECURITY DEFINER: whoever may write an account may have it checked; it
-- reads the master through billing_context.find_zengin_branches and locks
-- the one branch row.
CREATE OR REPLACE FUNCTION billing_context.tg_payee_accounts__check_master()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_branch record;
BEGIN
    IF NEW.bank_code !~ '^[0-9]{4}$' OR NEW.branch_code !~ '^[0-9]{3}$' THEN
        RETURN NEW;  -- the CHECK constraints refuse a malformed code, naming it
    END IF;
    IF NOT billing_context.is_zengin_installed() THEN
        NEW.master_check := 'NOT_VERIFIABLE';
        NEW.verified_at := NULL;
        RETURN NEW;
    END IF;
    -- Hold the branch until this transaction ends: a diff deleting it now
    -- waits, then its invalidation sees this account; one that deleted it
    -- first makes the look-up below fail.
    PERFORM FROM zengin.branches AS r
    WHERE r.bank_code = NEW.bank_code AND r.branch_code = NEW.branch_code
    FOR KEY SHARE;
    SELECT * INTO v_branch
    FROM billing_context.find_zengin_branches(ARRAY[NEW.bank_code || '-' || NEW.branch_code]) AS f;
    IF NOT coalesce(v_branch.branch_found, false) THEN
        RAISE EXCEPTION 'invalid bank_code/branch_code: %-% (the Zengin master has no %)',
            NEW.bank_code, NEW.branch_code,
            CASE WHEN coalesce(v_branch.bank_found, false) THEN 'such branch of the bank' ELSE 'such bank' END
            USING ERRCODE = 'SE141',
                  DETAIL = pg_catalog.format('field=bank_code/branch_code value=%s-%s bank_found=%s',
                                             NEW.bank_code, NEW.branch_code, coalesce(v_branch.bank_found, false)),
                  HINT = 'Check the codes on the partner''s passbook or bank statement; a closed or merged branch has a new code.',
                  TABLE = 'payee_accounts', COLUMN = 'branch_code';
    END IF;
    NEW.master_check := 'VERIFIED';
    NEW.verified_at := pg_catalog.now();
    NEW.bank_name := v_branch.bank_name;
    NEW.branch_name := v_branch.branch_name;
    IF TG_OP = 'UPDATE' AND NEW.status = 'INVALID' AND OLD.status = 'INVALID'
       AND (NEW.bank_code, NEW.branch_code) IS DISTINCT FROM (OLD.bank_code, OLD.branch_code) THEN
        NEW.status := 'ACTIVE';
        NEW.invalid_reason := NULL;
        NEW.invalidated_at := NULL;
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION billing_context.tg_payee_accounts__check_master() IS
'Trigger function (BEFORE INSERT OR UPDATE OF bank_code, branch_code on payee_accounts): the bank and branch must be in the Zengin master (SE141 naming the codes otherwise); sets master_check VERIFIED, verified_at and the snapshot names from the master, and makes an INVALID account whose codes changed ACTIVE again. Without a Zengin schema: master_check NOT_VERIFIABLE.';

REVOKE ALL ON FUNCTION billing_context.tg_payee_accounts__check_master() FROM PUBLIC;

-- Only where migration 0185 added master_check (a context installed alone
-- from its own migration block has no such column and gets no trigger).
DO $attach$
BEGIN
    IF EXISTS (
        SELECT FROM pg_catalog.pg_attribute
        WHERE attrelid = 'billing_context.payee_accounts'::regclass AND attname = 'master_check' AND NOT attisdropped
    ) THEN
        CREATE OR REPLACE TRIGGER tg_payee_accounts__check_master
        BEFORE INSERT OR UPDATE OF bank_code, branch_code ON billing_context.payee_accounts
        FOR EACH ROW EXECUTE FUNCTION billing_context.tg_payee_accounts__check_master();
        COMMENT ON TRIGGER tg_payee_accounts__check_master ON billing_context.payee_accounts IS
        'Checks bank_code/branch_code against the Zengin master (SE141), or records that it cannot (NOT_VERIFIABLE).';
    END IF;
END
$attach$;
