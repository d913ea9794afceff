-- Why: EXECUTE on this function is who may read engineers' names and kana
-- (engineers.*name*_encrypted); customers may see names, finance names
-- payments in clear; row-level security decides whose rows a role sees, this
-- grant decides whether it may turn the ciphertext into text. Bound to the
-- data class engineer_name: a ciphertext of another class does not decrypt
-- here (SE121).
-- requires: sql/functions/ses_common/decrypt_personal_data.sql
CREATE OR REPLACE FUNCTION ses_common.decrypt_engineer_name(p_data bytea)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
RETURN ses_common.decrypt_personal_data('engineer_name', p_data);

COMMENT ON FUNCTION ses_common.decrypt_engineer_name(bytea) IS
'Clear text of engineers'' names and kana (engineers.*name*_encrypted); customers may see names, finance names payments (data class engineer_name), with the keys loaded in this transaction; NULL for NULL, SE120 without keys, SE121 for a wrong key or a value of another class. Granted to ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role.';

REVOKE ALL ON FUNCTION ses_common.decrypt_engineer_name(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.decrypt_engineer_name(bytea) TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
