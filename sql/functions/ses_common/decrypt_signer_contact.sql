-- Why: EXECUTE on this function is who may read signers' e-mail
-- (contract_signatures.signer_email_encrypted) in clear; row-level security
-- decides whose rows a role sees, this grant decides whether it may turn the
-- ciphertext into text. Bound to the data class signer_contact: a ciphertext
-- of another class does not decrypt here (SE121).
-- requires: sql/functions/ses_common/decrypt_personal_data.sql
CREATE OR REPLACE FUNCTION ses_common.decrypt_signer_contact(p_data bytea)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
RETURN ses_common.decrypt_personal_data('signer_contact', p_data);

COMMENT ON FUNCTION ses_common.decrypt_signer_contact(bytea) IS
'Clear text of signers'' e-mail (contract_signatures.signer_email_encrypted) (data class signer_contact), with the keys loaded in this transaction; NULL for NULL, SE120 without keys, SE121 for a wrong key or a value of another class. Granted to ses_admin_role, ses_project_manager_role.';

REVOKE ALL ON FUNCTION ses_common.decrypt_signer_contact(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.decrypt_signer_contact(bytea) TO ses_admin_role, ses_project_manager_role;
