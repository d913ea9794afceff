-- Why: history rows are attributed to a diff through the transaction-local
-- setting zengin.diff_id, which zengin.execute_approved_diffs sets while it
-- applies a diff. Any session can set a custom setting, so the setting alone
-- would let a manual edit pass as an approved change. It is believed only
-- when the diff it names is, in this very transaction, in status executing:
-- that status never commits (execute_approved_diffs moves the diff on to
-- completed or failed in the same transaction), so no other session can see
-- a diff in it, and only the owner of zengin.diffs could put one there.
-- Anything else named is refused (ZG022): an error, not a silent NULL, so a
-- forged attribution cannot go unnoticed.
CREATE OR REPLACE FUNCTION zengin.current_diff_id()
RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_diff_id text := nullif(pg_catalog.current_setting('zengin.diff_id', true), '');
BEGIN
    IF v_diff_id IS NOT NULL AND NOT EXISTS (
        SELECT FROM zengin.diffs AS d WHERE d.id = v_diff_id AND d.status = 'executing'
    ) THEN
        RAISE EXCEPTION 'setting zengin.diff_id names diff %, which is not being executed in this transaction',
            v_diff_id
            USING ERRCODE = 'ZG022',
                  DETAIL = pg_catalog.format('zengin.diff_id=%s', v_diff_id),
                  HINT = 'Only zengin.execute_approved_diffs attributes changes to a diff; '
                      'RESET zengin.diff_id for a manual edit (recorded with diff_id NULL).';
    END IF;
    RETURN v_diff_id;
END
$$;

COMMENT ON FUNCTION zengin.current_diff_id() IS
'Internal (history triggers): the diff the current change belongs to, from setting zengin.diff_id; NULL for a manual edit; raises ZG022 when the setting names a diff that is not executing in this transaction (a forged attribution).';

REVOKE EXECUTE ON FUNCTION zengin.current_diff_id() FROM PUBLIC;
