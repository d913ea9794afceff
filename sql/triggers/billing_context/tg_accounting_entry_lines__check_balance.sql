-- Why: journal lines of a posted entry balance at commit (deferred, so lines can
-- be written one by one). Constraint triggers cannot be CREATE OR REPLACEd:
-- dropped and created again when replayed.
DROP TRIGGER IF EXISTS tg_accounting_entry_lines__check_balance ON billing_context.accounting_entry_lines;

CREATE CONSTRAINT TRIGGER tg_accounting_entry_lines__check_balance
AFTER INSERT OR UPDATE OR DELETE ON billing_context.accounting_entry_lines
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION billing_context.tg_accounting_entry_lines__check_balance();

COMMENT ON TRIGGER tg_accounting_entry_lines__check_balance ON billing_context.accounting_entry_lines IS
'At commit, the posted entries whose lines changed must balance (SE006).';
