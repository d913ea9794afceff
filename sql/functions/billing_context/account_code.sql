-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: the chart of accounts used by the posted journals (税抜経理,
-- ses-domain-rules.md section 3) is written in one place, so every entry
-- names an account by the same code.
CREATE OR REPLACE FUNCTION billing_context.account_code(p_account_name text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_code text;
BEGIN
    v_code := CASE p_account_name
        WHEN '普通預金' THEN '1120'
        WHEN '売掛金' THEN '1310'
        WHEN '仮払消費税' THEN '1510'
        WHEN '買掛金' THEN '2110'
        WHEN '仮受金' THEN '2160'
        WHEN '仮受消費税' THEN '2510'
        WHEN '売上高' THEN '4110'
        WHEN '売上値引' THEN '4120'
        WHEN '外注費' THEN '5210'
        WHEN '支払手数料' THEN '6410'
    END;
    IF v_code IS NULL THEN
        PERFORM bbase.raise_invalid('SE005', 'account_name', p_account_name, 'not in the chart of accounts');
    END IF;
    RETURN v_code;
END
$$;

COMMENT ON FUNCTION billing_context.account_code(text) IS
'Account code of an account name of the chart used by the SES journals: 普通預金 1120, 売掛金 1310, 仮払消費税 1510, 買掛金 2110, 仮受金 2160 (overpayments), 仮受消費税 2510, 売上高 4110, 売上値引 4120, 外注費 5210, 支払手数料 6410. Another name raises SE005.';

REVOKE ALL ON FUNCTION billing_context.account_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.account_code(text) TO ses_admin_role, ses_finance_role;
