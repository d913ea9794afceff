-- Why: the account number and the holder's Zengin kana are stored encrypted,
-- so the CHECKs that guarded them in clear (7 digits; the Zengin transfer
-- character set, at most 30 characters) run here on the decrypted new value
-- (the number raising check_violation with the old constraint name). A transfer file
-- built from a bad value is refused by the bank days later; this refuses it
-- at the write. SECURITY DEFINER: it decrypts whatever role writes.
-- The holder kana is normalised first (ses_common.normalize_transfer_kana:
-- full-width and hiragana to half-width katakana, small kana to large); a
-- changed value is encrypted again, so the table holds what the file will
-- carry. What cannot be normalised is refused with SE140 naming the
-- character (never the value).
-- requires: sql/functions/ses_common/decrypt_personal_data.sql, sql/functions/ses_common/encrypt_personal_data.sql
-- requires: sql/functions/ses_common/normalize_transfer_kana.sql
CREATE OR REPLACE FUNCTION billing_context.tg_payee_accounts__check_personal_data()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_number text := ses_common.decrypt_personal_data('payee_account', NEW.account_number_encrypted);
    v_kana text := ses_common.decrypt_personal_data('payee_account', NEW.account_holder_kana_encrypted);
    v_normal text;
BEGIN
    IF v_number !~ '^[0-9]{7}$' THEN
        RAISE EXCEPTION 'account_number: the new value is not 7 digits (value withheld: personal data)'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payee_accounts_account_number_check',
                  SCHEMA = 'billing_context', TABLE = 'payee_accounts', COLUMN = 'account_number_encrypted';
    END IF;
    v_normal := ses_common.normalize_transfer_kana('account_holder_kana', v_kana, 30);
    IF v_normal IS DISTINCT FROM v_kana THEN
        NEW.account_holder_kana_encrypted := ses_common.encrypt_personal_data('payee_account', v_normal);
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION billing_context.tg_payee_accounts__check_personal_data() IS
'Trigger function (BEFORE INSERT OR UPDATE OF account_number_encrypted, account_holder_kana_encrypted on payee_accounts): the decrypted account number is 7 digits (else check_violation), and the holder kana is normalised to Zengin transfer kana and stored encrypted again when that changed it (SE140 naming the character it cannot convert).';

REVOKE ALL ON FUNCTION billing_context.tg_payee_accounts__check_personal_data() FROM PUBLIC;

-- Only where migration 0181 made the encrypted columns: a context installed
-- alone (without 0181) keeps its plain columns and gets no trigger.
DO $attach$
BEGIN
    IF EXISTS (
        SELECT FROM pg_catalog.pg_attribute
        WHERE attrelid = 'billing_context.payee_accounts'::regclass AND attname = 'account_number_encrypted' AND NOT attisdropped
    ) THEN
        CREATE OR REPLACE TRIGGER tg_payee_accounts__check_personal_data
        BEFORE INSERT OR UPDATE OF account_number_encrypted, account_holder_kana_encrypted ON billing_context.payee_accounts
        FOR EACH ROW EXECUTE FUNCTION billing_context.tg_payee_accounts__check_personal_data();
        COMMENT ON TRIGGER tg_payee_accounts__check_personal_data ON billing_context.payee_accounts IS
        'Checks the decrypted account number (7 digits); normalises the holder kana to the Zengin transfer character set or refuses it (SE140).';
    END IF;
END
$attach$;
