-- requires: sql/functions/billing_context/assert_entry_balanced.sql
-- Why: a line added, changed or removed must leave its (posted) entry balanced
-- by the end of the transaction. Trigger function of the deferred constraint
-- trigger tg_accounting_entry_lines__check_balance. SECURITY DEFINER so the
-- check sees every line whatever the writer's row-level security allows.
-- An entry written in this same transaction is skipped here: its own deferred
-- trigger (tg_accounting_entries__check_balance) checks it once at commit,
-- instead of once per line (a bulk load of journal lines would otherwise run
-- the check for every line). An entry written in a savepoint has a
-- subtransaction xmin and is simply checked here as well.
CREATE OR REPLACE FUNCTION billing_context.tg_accounting_entry_lines__check_balance()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_entry uuid;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    FOR v_entry IN
        SELECT DISTINCT x.entry_id
        FROM (VALUES (CASE WHEN TG_OP <> 'INSERT' THEN OLD.accounting_entry_id END),
                     (CASE WHEN TG_OP <> 'DELETE' THEN NEW.accounting_entry_id END)) AS x (entry_id)
        WHERE x.entry_id IS NOT NULL
          AND NOT EXISTS (
              SELECT FROM billing_context.accounting_entries AS e
              WHERE e.id = x.entry_id AND e.xmin = pg_catalog.pg_current_xact_id()::xid
          )
    LOOP
        PERFORM billing_context.assert_entry_balanced(v_entry);
    END LOOP;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION billing_context.tg_accounting_entry_lines__check_balance() IS
'Trigger function (deferred constraint trigger AFTER INSERT OR UPDATE OR DELETE on accounting_entry_lines): the entries of the old and new line must balance at commit (billing_context.assert_entry_balanced).';

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
