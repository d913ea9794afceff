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
