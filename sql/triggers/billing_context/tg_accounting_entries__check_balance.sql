-- requires: sql/functions/billing_context/assert_entry_balanced.sql
-- Why: an entry inserted or changed (e.g. DRAFT -> POSTED) must be balanced by
-- the end of the transaction, checked once per entry (the lines' trigger skips
-- entries written in the same transaction). Trigger function of the
-- deferred constraint trigger tg_accounting_entries__check_balance.
CREATE OR REPLACE FUNCTION billing_context.tg_accounting_entries__check_balance()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    PERFORM billing_context.assert_entry_balanced(NEW.id);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION billing_context.tg_accounting_entries__check_balance() IS
'Trigger function (deferred constraint trigger AFTER INSERT OR UPDATE on accounting_entries): a POSTED or REVERSED entry must balance at commit (billing_context.assert_entry_balanced).';

-- Why: an entry written in a transaction (inserted, posted, changed) balances at commit;
-- the lines' trigger leaves entries written in the same transaction to this one.
-- Constraint triggers cannot be CREATE OR REPLACEd: dropped and created again when replayed.
DROP TRIGGER IF EXISTS tg_accounting_entries__check_balance ON billing_context.accounting_entries;

CREATE CONSTRAINT TRIGGER tg_accounting_entries__check_balance
AFTER INSERT OR UPDATE ON billing_context.accounting_entries
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION billing_context.tg_accounting_entries__check_balance();

COMMENT ON TRIGGER tg_accounting_entries__check_balance ON billing_context.accounting_entries IS
'At commit, a POSTED or REVERSED entry must balance (SE006).';
