-- requires: sql/functions/ses_common/normalize_transfer_kana.sql
-- Why: the bank and branch name fields of a transfer file (C15) are filled
-- from the Zengin master's full-width kana. Banks route by code and treat
-- these names as informational (全銀協 layout: 任意), so a name the transfer
-- character set cannot carry (e.g. with ー or ／) is left blank rather than
-- refusing a batch over a bank's name; a long one is cut to the field.
-- One place for that leniency; the holder name (which the bank does check)
-- is never formatted here.
CREATE OR REPLACE FUNCTION billing_context.format_transfer_name(p_kana text, p_width integer)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
    RETURN pg_catalog.rpad(coalesce(pg_catalog.left(
        ses_common.normalize_transfer_kana('name', p_kana, 1000), p_width), ''), p_width, ' ');
EXCEPTION WHEN SQLSTATE 'SE140' THEN
    RETURN pg_catalog.repeat(' ', p_width);
END
$$;

COMMENT ON FUNCTION billing_context.format_transfer_name(text, integer) IS
'A bank or branch name field of the transfer file: p_kana converted to transfer kana (ses_common.normalize_transfer_kana), cut or space-padded to p_width; all spaces when it cannot be converted (the field is informational, banks route by code).';

REVOKE ALL ON FUNCTION billing_context.format_transfer_name(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.format_transfer_name(text, integer) TO ses_admin_role, ses_finance_role;
