-- Why: EXECUTE on this function is who may read payee account numbers and
-- holders (payee_accounts.account_*_encrypted) in clear; row-level security
-- decides whose rows a role sees, this grant decides whether it may turn the
-- ciphertext into text. Bound to the data class payee_account: a ciphertext of
-- another class does not decrypt here (SE121).
-- requires: sql/functions/ses_common/decrypt_personal_data.sql
CREATE OR REPLACE FUNCTION ses_common.decrypt_payee_account(p_data bytea)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
RETURN ses_common.decrypt_personal_data('payee_account', p_data);

COMMENT ON FUNCTION ses_common.decrypt_payee_account(bytea) IS
'Clear text of payee account numbers and holders (payee_accounts.account_*_encrypted) (data class payee_account), with the keys loaded in this transaction; NULL for NULL, SE120 without keys, SE121 for a wrong key or a value of another class. Granted to ses_admin_role, ses_finance_role.';

REVOKE ALL ON FUNCTION ses_common.decrypt_payee_account(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.decrypt_payee_account(bytea) TO ses_admin_role, ses_finance_role;
