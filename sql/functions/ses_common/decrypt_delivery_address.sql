-- Why: EXECUTE on this function is who may read notification delivery
-- addresses (notification_deliveries.recipient_address_encrypted) in clear;
-- row-level security decides whose rows a role sees, this grant decides
-- whether it may turn the ciphertext into text. Bound to the data class
-- delivery_address: a ciphertext of another class does not decrypt here
-- (SE121).
-- requires: sql/functions/ses_common/decrypt_personal_data.sql
CREATE OR REPLACE FUNCTION ses_common.decrypt_delivery_address(p_data bytea)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
RETURN ses_common.decrypt_personal_data('delivery_address', p_data);

COMMENT ON FUNCTION ses_common.decrypt_delivery_address(bytea) IS
'Clear text of notification delivery addresses (notification_deliveries.recipient_address_encrypted) (data class delivery_address), with the keys loaded in this transaction; NULL for NULL, SE120 without keys, SE121 for a wrong key or a value of another class. Granted to the five SES roles: a delivery address is the recipient''s own, and row-level security shows each role only the deliveries addressed to it.';

REVOKE ALL ON FUNCTION ses_common.decrypt_delivery_address(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.decrypt_delivery_address(bytea)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
