-- Why: EXECUTE on this function is who may read engineers' e-mail and phone
-- (engineers.email_encrypted, phone_encrypted) in clear; row-level security
-- decides whose rows a role sees, this grant decides whether it may turn the
-- ciphertext into text. Bound to the data class engineer_contact: a ciphertext
-- of another class does not decrypt here (SE121).
-- requires: sql/functions/ses_common/decrypt_personal_data.sql
CREATE OR REPLACE FUNCTION ses_common.decrypt_engineer_contact(p_data bytea)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
RETURN ses_common.decrypt_personal_data('engineer_contact', p_data);

COMMENT ON FUNCTION ses_common.decrypt_engineer_contact(bytea) IS
'Clear text of engineers'' e-mail and phone (engineers.email_encrypted, phone_encrypted) (data class engineer_contact), with the keys loaded in this transaction; NULL for NULL, SE120 without keys, SE121 for a wrong key or a value of another class. Granted to ses_admin_role and ses_engineer_role (their own row): placement does not need contact data, so project managers, finance and customers get neither the column nor this function.';

REVOKE ALL ON FUNCTION ses_common.decrypt_engineer_contact(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.decrypt_engineer_contact(bytea) TO ses_admin_role, ses_engineer_role;
