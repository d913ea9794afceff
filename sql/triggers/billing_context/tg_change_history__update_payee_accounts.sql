-- requires: sql/functions/billing_context/find_payee_accounts_at.sql
-- requires: sql/functions/ses_common/emit_event.sql
-- Why: when the Zengin master loses a bank or branch (closure, merger,
-- recoding: a diff deletes the old code), a payee account on it can no
-- longer be paid; when it renames one, the account's snapshot names are
-- stale. Both must reach the accounts in the same transaction as the change,
-- whoever made it (an executed diff or a manual edit). Every change to the
-- master is written to zengin.change_history by the master's own history
-- triggers, with the diff that made it; this statement-level trigger on that
-- table reads the rows just recorded (transition table) and, set-based:
-- * DELETE of a branch or bank: live ACTIVE accounts on it
--   (billing_context.find_payee_accounts_at) become INVALID, the reason
--   naming the diff (or the manual edit and its login) and the change, and
--   one PayeeAccountInvalidated event per account goes to the outbox in the
--   same transaction (account id, bank and branch codes, diff id; never the
--   holder's name or number, nor the login in the reason); the notifications
--   consumer turns it into a PAYEE_ACCOUNT_INVALID notification for finance
--   (rule of migration 0195);
-- * UPDATE changing a name: bank_name/branch_name of the live accounts on it
--   are refreshed; they stay ACTIVE (a rename moves no money).
-- It lives in billing_context and is attached only where both the Zengin
-- history and the payee accounts are installed: Zengin alone never replays
-- this file (no billing_context), SES alone skips the attach. zengin.apply_diff
-- and zengin.execute_approved_diffs are untouched; a failure here fails the
-- diff's subtransaction, so
-- a diff never removes a branch while leaving its accounts ACTIVE.
-- SECURITY DEFINER: the master's writers (bbase_operator executing diffs)
-- have no grant on SES tables.
CREATE OR REPLACE FUNCTION billing_context.tg_change_history__update_payee_accounts()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_account record;
BEGIN
    -- @plpgsql_check_options: newtable = new_rows
    -- Enables the owner's maintenance policy under forced row-level security
    -- for this transaction (as the other SES maintenance functions do).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);

    FOR v_account IN
        WITH removed AS (
            SELECT h.diff_id, h.table_name, h.bank_code, h.branch_code, h.db_user,
                h.old_values ->> 'name' AS old_name
            FROM new_rows AS h
            WHERE h.operation = 'DELETE'
        ), hit AS (
            SELECT DISTINCT ON (x.id) x.id, r.*
            FROM removed AS r
            CROSS JOIN LATERAL billing_context.find_payee_accounts_at(
                r.bank_code, CASE WHEN r.table_name = 'branches' THEN r.branch_code END) AS x
            ORDER BY x.id, r.table_name DESC  -- a branch's own deletion names the branch
        )
        UPDATE billing_context.payee_accounts AS a
        SET status = 'INVALID',
            invalidated_at = pg_catalog.now(),
            invalid_reason = pg_catalog.format('%s: Zengin master %s %s (%s) deleted',
                CASE WHEN hit.diff_id IS NULL THEN 'manual edit by ' || hit.db_user ELSE 'diff ' || hit.diff_id END,
                CASE WHEN hit.table_name = 'branches' THEN 'branch' ELSE 'bank' END,
                CASE WHEN hit.table_name = 'branches' THEN hit.bank_code || '-' || hit.branch_code ELSE hit.bank_code END,
                hit.old_name)
        FROM hit
        WHERE a.id = hit.id
        RETURNING a.id, a.bank_code, a.branch_code, hit.diff_id,
            CASE WHEN hit.table_name = 'branches' THEN 'branch' ELSE 'bank' END AS removed
    LOOP
        PERFORM ses_common.emit_event('PayeeAccountInvalidated', 'billing_context', 'payee_account', v_account.id,
            pg_catalog.jsonb_build_object(
                'payee_account_id', v_account.id, 'bank_code', v_account.bank_code,
                'branch_code', v_account.branch_code, 'diff_id', v_account.diff_id,
                'removed', v_account.removed, 'status', 'INVALID', 'audience', 'ses_finance_role'));
    END LOOP;

    -- Renames: refresh the snapshot names, keep the status.
    UPDATE billing_context.payee_accounts AS a
    SET bank_name = h.new_values ->> 'name'
    FROM new_rows AS h
    WHERE h.operation = 'UPDATE' AND h.table_name = 'banks' AND 'name' = ANY (h.changed_fields)
      AND a.bank_code = h.bank_code AND a.deleted_at IS NULL
      AND a.bank_name IS DISTINCT FROM h.new_values ->> 'name';
    UPDATE billing_context.payee_accounts AS a
    SET branch_name = h.new_values ->> 'name'
    FROM new_rows AS h
    WHERE h.operation = 'UPDATE' AND h.table_name = 'branches' AND 'name' = ANY (h.changed_fields)
      AND a.bank_code = h.bank_code AND a.branch_code = h.branch_code AND a.deleted_at IS NULL
      AND a.branch_name IS DISTINCT FROM h.new_values ->> 'name';
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION billing_context.tg_change_history__update_payee_accounts() IS
'Trigger function (AFTER INSERT statement-level on zengin.change_history, transition table new_rows): a deleted Zengin bank or branch makes the live ACTIVE payee accounts on it INVALID with a reason naming the diff (or manual edit) and the change, and emits PayeeAccountInvalidated per account (ids and codes; the notifications consumer tells finance); a renamed one refreshes the accounts'' bank_name/branch_name.';

REVOKE ALL ON FUNCTION billing_context.tg_change_history__update_payee_accounts() FROM PUBLIC;

-- Attached only where the Zengin change history is installed too.
DO $attach$
BEGIN
    IF pg_catalog.to_regclass('zengin.change_history') IS NOT NULL THEN
        CREATE OR REPLACE TRIGGER tg_change_history__update_payee_accounts
        AFTER INSERT ON zengin.change_history
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION billing_context.tg_change_history__update_payee_accounts();
        COMMENT ON TRIGGER tg_change_history__update_payee_accounts ON zengin.change_history IS
        'Carries deletions and renames of banks and branches to billing_context.payee_accounts (INVALID with the diff in the reason; names refreshed).';
    END IF;
END
$attach$;
