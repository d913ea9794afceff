-- Why: a look-up must find a row whatever key version its index was written
-- under (during a rotation both exist), so it returns one candidate per key
-- version loaded; the column's index serves = ANY of them.
-- requires: sql/functions/ses_common/compute_blind_index.sql, sql/functions/ses_common/check_data_class.sql, sql/functions/ses_common/is_personal_data_class.sql, sql/functions/ses_common/read_current_key_version.sql
CREATE OR REPLACE FUNCTION ses_common.blind_index_personal_data(p_data_class text, p_value text)
RETURNS bytea[]
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT ses_common.is_personal_data_class(p_data_class) THEN
        PERFORM ses_common.check_data_class(p_data_class);
    END IF;
    PERFORM ses_common.read_current_key_version();
    RETURN ARRAY(
        SELECT ses_common.compute_blind_index(p_data_class, p_value, k.key_version)
        FROM pg_temp.ses_session_keys AS k
        WHERE k.key_version BETWEEN 1 AND 32767
        ORDER BY k.key_version DESC
    );
END
$$;

COMMENT ON FUNCTION ses_common.blind_index_personal_data(text, text) IS
'Blind-index candidates of a value, one per key version loaded in this transaction, for exact look-ups: SELECT … FROM engineer_context.engineers WHERE email_hmac = ANY (ses_common.blind_index_personal_data(''engineer_contact'', ''yamada@example.jp'')). SE120 without keys, SE122 unknown class.';

REVOKE ALL ON FUNCTION ses_common.blind_index_personal_data(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.blind_index_personal_data(text, text)
TO ses_admin_role;
