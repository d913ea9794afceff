-- Why: the e-mail is stored encrypted, so its shape can no longer be a CHECK
-- on the column, and its blind index must match it: this trigger decrypts a
-- new or changed e-mail, checks its shape (check_violation naming the old
-- constraint engineers_email_check) and sets email_hmac itself, under the
-- e-mail's key version, so no writer can store an index that lies. Names need
-- no check here: encrypt_personal_data refuses blank values. A value at key
-- version 0 (clear text moved in by migration 0181) gets no index until
-- rotation encrypts it. SECURITY DEFINER: it decrypts whatever role writes.
-- requires: sql/functions/ses_common/decrypt_personal_data.sql, sql/functions/ses_common/compute_blind_index.sql
CREATE OR REPLACE FUNCTION engineer_context.tg_engineers__check_personal_data()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_email text := ses_common.decrypt_personal_data('engineer_contact', NEW.email_encrypted);
    v_version integer;
BEGIN
    IF v_email IS NOT NULL AND v_email !~ '^[^@\s]+@[^@\s]+$' THEN
        RAISE EXCEPTION 'email: the new value is not an e-mail address (value withheld: personal data)'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'engineers_email_check',
                  SCHEMA = 'engineer_context', TABLE = 'engineers', COLUMN = 'email_encrypted';
    END IF;
    v_version := (pg_catalog.get_byte(NEW.email_encrypted, 0) << 8) | pg_catalog.get_byte(NEW.email_encrypted, 1);
    NEW.email_hmac := CASE WHEN v_version > 0
        THEN ses_common.compute_blind_index('engineer_contact', v_email, v_version) END;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION engineer_context.tg_engineers__check_personal_data() IS
'Trigger function (BEFORE INSERT OR UPDATE OF email_encrypted, email_hmac on engineers): checks the decrypted e-mail''s shape (check_violation engineers_email_check) and sets email_hmac, the blind index, under the e-mail''s key version.';

REVOKE ALL ON FUNCTION engineer_context.tg_engineers__check_personal_data() FROM PUBLIC;

-- Only where migration 0181 made the encrypted columns: a context installed
-- alone (without 0181) keeps its plain columns and gets no trigger.
DO $attach$
BEGIN
    IF EXISTS (
        SELECT FROM pg_catalog.pg_attribute
        WHERE attrelid = 'engineer_context.engineers'::regclass AND attname = 'email_encrypted' AND NOT attisdropped
    ) THEN
        CREATE OR REPLACE TRIGGER tg_engineers__check_personal_data
        BEFORE INSERT OR UPDATE OF email_encrypted, email_hmac ON engineer_context.engineers
        FOR EACH ROW EXECUTE FUNCTION engineer_context.tg_engineers__check_personal_data();
        COMMENT ON TRIGGER tg_engineers__check_personal_data ON engineer_context.engineers IS
        'Checks the encrypted e-mail''s shape and writes its blind index email_hmac.';
    END IF;
END
$attach$;
