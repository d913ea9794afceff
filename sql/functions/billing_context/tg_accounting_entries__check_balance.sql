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
    PERFORM billing_context.assert_entry_balanced(NEW.id);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION billing_context.tg_accounting_entries__check_balance() IS
'Trigger function (deferred constraint trigger AFTER INSERT OR UPDATE on accounting_entries): a POSTED or REVERSED entry must balance at commit (billing_context.assert_entry_balanced).';
