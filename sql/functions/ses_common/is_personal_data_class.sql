-- Why: encrypting checks its data class on every value; a constant list in an
-- IMMUTABLE SQL function is inlined into the caller's expression and costs
-- nothing, where a look-up in ses_common.encrypted_columns costs a query per
-- value. The list is the CHECK of ses_common.encrypted_columns.data_class
-- (migration 0181); tests/ses/test_personal_data.py holds the two equal.
CREATE OR REPLACE FUNCTION ses_common.is_personal_data_class(p_data_class text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN coalesce(
    p_data_class IN ('engineer_name', 'engineer_contact', 'payee_account', 'signer_contact', 'delivery_address'),
    false
);

COMMENT ON FUNCTION ses_common.is_personal_data_class(text) IS
'Whether a text names a personal data class (engineer_name, engineer_contact, payee_account, signer_contact, delivery_address), as ses_common.encrypted_columns.data_class allows.';

REVOKE ALL ON FUNCTION ses_common.is_personal_data_class(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.is_personal_data_class(text)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
