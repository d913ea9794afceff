-- requires: sql/functions/billing_context/list_transfer_payees.sql, sql/functions/billing_context/is_zengin_installed.sql
-- requires: sql/functions/billing_context/format_transfer_name.sql
-- requires: sql/functions/ses_common/is_bank_business_day.sql, sql/functions/ses_common/is_transfer_kana.sql
-- requires: sql/functions/ses_common/decrypt_payee_account.sql, sql/functions/billing_context/check_transfer_record.sql
-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: the Zengin transfer file (総合振込) is the moment money leaves; every
-- rule a bank would refuse it for is checked here, before anything is sent,
-- and the batch is refused whole, naming every bad account:
-- * the payment date is a bank business day (ses_common.is_bank_business_day;
--   SE142; SE149 when the calendar does not cover it) and not in the past;
-- * every account paid is ACTIVE and live, and its bank and branch are in the
--   Zengin master now (SE144 listing each: INVALID with its reason, missing
--   bank/branch, an invoice without an account); no master here: SE143;
-- * amounts are whole yen, each at most 9,999,999,999 (N10) and the total at
--   most 999,999,999,999 (N12) (SE145); something to pay (SE146); an
--   originator (SE147).
-- Layout (全銀協 総合振込, ses-domain-rules.md section 4), 120 characters per
-- record, all half-width, N fields right-aligned zero-filled, C fields
-- left-aligned space-filled:
--   header  1 | 種別 21 | コード区分 0 (JIS) | 依頼人コード N10 | 依頼人名 C40 |
--           振込指定日 MMDD | 仕向銀行 N4 C15 | 仕向支店 N3 C15 | 預金種目 N1 |
--           口座番号 N7 | dummy C17
--   data    2 | 被仕向銀行 N4 C15 | 被仕向支店 N3 C15 | 手形交換所 N4 0000 |
--           預金種目 N1 | 口座番号 N7 | 受取人名 C30 | 金額 N10 | 新規コード N1 |
--           顧客コード1 N10 | 顧客コード2 N10 | 振込指定区分 N1 | 識別表示 C1 | dummy C7
--   trailer 8 | 合計件数 N6 | 合計金額 N12 | dummy C101
--   end     9 | dummy C119
-- Where the sources leave a field open we follow the most common bank
-- specification: 新規コード 0 (no change notice), 顧客コード 0-filled (no EDI),
-- 振込指定区分 7 (電信), 識別表示 space. One data record per payee account:
-- its open payables due on or before the date are summed (the partner gets
-- one transfer and one fee).
-- Records are text in half-width characters only; each is asserted to be 120
-- bytes in Shift_JIS (convert_to 'SJIS', SE148 otherwise), and the glue
-- encodes them as cp932 and checks the same. The account number and holder
-- are decrypted here (ses_common.decrypt_payee_account): run it as a role
-- that may decrypt (finance, admin) in a transaction that loaded the keys.
-- SECURITY INVOKER: it sees the rows and decrypts what its caller may.
-- Building a file records nothing: paying (invoice_payments) is recorded
-- when the bank confirms the transfer.
CREATE OR REPLACE FUNCTION billing_context.build_transfer_records(
    p_payment_date date,
    p_originator_id uuid DEFAULT NULL
)
RETURNS TABLE (record_no integer, record_type text, record text, payee_account_id uuid, amount numeric)
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_origin record;
    v_origin_bank record;
    v_problems text[] := '{}';
    v_code text := 'SE145';
    v_count integer := 0;
    v_total numeric := 0;
    v_accounts uuid[] := '{}';
    v_amounts numeric[] := '{}';
    v_records text[] := '{}';
    v_no integer := 1;
    v_row record;
    v_holiday text;
BEGIN
    -- The date.
    IF p_payment_date IS NULL THEN
        PERFORM bbase.raise_invalid('SE142', 'payment_date', p_payment_date::text, 'a payment date is required');
    END IF;
    IF p_payment_date < (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date THEN
        PERFORM bbase.raise_invalid('SE142', 'payment_date', p_payment_date::text, 'in the past');
    END IF;
    IF NOT ses_common.is_bank_business_day(p_payment_date) THEN
        SELECT h.name INTO v_holiday FROM ses_common.bank_holidays AS h WHERE h.holiday_date = p_payment_date;
        PERFORM bbase.raise_invalid('SE142', 'payment_date', p_payment_date::text,
            'not a bank business day: ' || coalesce(v_holiday, pg_catalog.to_char(p_payment_date, 'FMDay')),
            'Choose a weekday that is not a holiday (ses_common.bank_holidays).');
    END IF;
    IF NOT billing_context.is_zengin_installed() THEN
        RAISE EXCEPTION 'cannot build a transfer file: this database has no Zengin master to check the accounts against'
            USING ERRCODE = 'SE143',
                  HINT = 'Build it in the database that holds the zengin schema.';
    END IF;

    -- The originator.
    SELECT o.* INTO v_origin
    FROM billing_context.transfer_originators AS o
    WHERE o.deleted_at IS NULL AND (o.id = p_originator_id OR (p_originator_id IS NULL AND o.is_default));
    IF NOT FOUND THEN
        PERFORM bbase.raise_invalid('SE147', 'originator_id', coalesce(p_originator_id::text, 'default'),
            'no such live transfer originator', 'Insert one into billing_context.transfer_originators (is_default for the usual one).');
    END IF;
    SELECT * INTO v_origin_bank
    FROM billing_context.find_zengin_branches(ARRAY[v_origin.bank_code || '-' || v_origin.branch_code]);

    -- The payees (billing_context.list_transfer_payees): every problem is
    -- collected first, so the refusal names each account; then the records.
    FOR v_row IN
        SELECT p.*,
            ses_common.decrypt_payee_account(a.account_number_encrypted) AS account_number,
            ses_common.decrypt_payee_account(a.account_holder_kana_encrypted) AS holder
        FROM billing_context.list_transfer_payees(p_payment_date) AS p
        LEFT JOIN billing_context.payee_accounts AS a ON a.id = p.payee_account_id AND p.problem IS NULL
        ORDER BY p.bank_code, p.branch_code, p.payee_account_id
    LOOP
        IF v_row.problem IS NULL
           AND (v_row.account_number !~ '^[0-9]{7}$' OR NOT coalesce(ses_common.is_transfer_kana(v_row.holder), false)
                OR pg_catalog.length(v_row.holder) > 30) THEN
            v_row.problem := pg_catalog.format(
                'payee account %s holds an account number or holder kana the file cannot carry (write it again)',
                v_row.payee_account_id);
            v_row.problem_code := 'SE144';
        END IF;
        IF v_row.problem IS NOT NULL THEN
            v_problems := v_problems || v_row.problem;
            v_code := least(v_code, v_row.problem_code);
            CONTINUE;
        END IF;
        v_count := v_count + 1;
        v_total := v_total + v_row.amount;
        v_accounts := v_accounts || v_row.payee_account_id;
        v_amounts := v_amounts || v_row.amount;
        v_records := v_records || ('2' || v_row.bank_code || billing_context.format_transfer_name(v_row.bank_kana, 15)
            || v_row.branch_code || billing_context.format_transfer_name(v_row.branch_kana, 15)
            || '0000' || v_row.account_type::text || v_row.account_number
            || pg_catalog.rpad(v_row.holder, 30, ' ')
            || pg_catalog.lpad(v_row.amount::bigint::text, 10, '0')
            || '0' || pg_catalog.repeat('0', 20) || '7' || ' ' || pg_catalog.repeat(' ', 7));
    END LOOP;

    -- Account problems (SE144) outrank amount problems (SE145).
    IF pg_catalog.cardinality(v_problems) > 0 THEN
        SELECT pg_catalog.array_agg(u.problem ORDER BY u.problem) INTO v_problems
        FROM pg_catalog.unnest(v_problems) AS u (problem);
        RAISE EXCEPTION 'transfer batch for % refused: % account(s) cannot be paid: %', p_payment_date,
            pg_catalog.cardinality(v_problems), pg_catalog.array_to_string(v_problems[1:20], '; ')
            USING ERRCODE = v_code,
                  DETAIL = pg_catalog.array_to_string(v_problems, E'\n'),
                  HINT = 'Register the partners'' current bank details (a closed or merged branch has a new code), then build again.';
    END IF;
    IF v_count = 0 THEN
        RAISE EXCEPTION 'transfer batch for %: no open payables are due by that date', p_payment_date
            USING ERRCODE = 'SE146', HINT = 'Nothing to pay: no file is written.';
    END IF;
    IF v_total > 999999999999 OR v_count > 999999 THEN
        RAISE EXCEPTION 'transfer batch for %: % transfers totalling % exceed the trailer''s N6/N12 fields',
            p_payment_date, v_count, v_total
            USING ERRCODE = 'SE145', HINT = 'Split the payables over two files.';
    END IF;

    -- Header.
    record_no := v_no; record_type := '1'; payee_account_id := NULL; amount := NULL;
    record := '1' || '21' || '0' || v_origin.originator_code
        || pg_catalog.rpad(v_origin.originator_name_kana, 40, ' ')
        || pg_catalog.to_char(p_payment_date, 'MMDD')
        || v_origin.bank_code || billing_context.format_transfer_name(v_origin_bank.bank_kana, 15)
        || v_origin.branch_code || billing_context.format_transfer_name(v_origin_bank.branch_kana, 15)
        || v_origin.account_type::text || v_origin.account_number
        || pg_catalog.repeat(' ', 17);
    PERFORM billing_context.check_transfer_record(record);
    RETURN NEXT;

    -- Data, in bank, branch, account order.
    FOR v_i IN 1 .. v_count LOOP
        v_no := v_no + 1;
        record_no := v_no; record_type := '2'; payee_account_id := v_accounts[v_i]; amount := v_amounts[v_i];
        record := v_records[v_i];
        PERFORM billing_context.check_transfer_record(record);
        RETURN NEXT;
    END LOOP;

    -- Trailer and end.
    v_no := v_no + 1;
    record_no := v_no; record_type := '8'; payee_account_id := NULL; amount := v_total;
    record := '8' || pg_catalog.lpad(v_count::text, 6, '0') || pg_catalog.lpad(v_total::bigint::text, 12, '0')
        || pg_catalog.repeat(' ', 101);
    PERFORM billing_context.check_transfer_record(record);
    RETURN NEXT;
    v_no := v_no + 1;
    record_no := v_no; record_type := '9'; amount := NULL;
    record := '9' || pg_catalog.repeat(' ', 119);
    PERFORM billing_context.check_transfer_record(record);
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION billing_context.build_transfer_records(date, uuid) IS
'The records of the Zengin transfer file (総合振込, 種別 21) for p_payment_date from the open payables due by then, one transfer per payee account, from originator p_originator_id (default: the is_default one): header (1), data (2), trailer (8, count and total of the data), end (9); each 120 half-width characters (120 bytes in Shift_JIS). Refuses the whole batch: SE142 date not a future bank business day, SE143 no Zengin master, SE144 naming each account that is not ACTIVE or whose bank/branch the master lacks, SE145 amounts beyond the fields or not whole yen, SE146 nothing to pay, SE147 no originator, SE149 calendar not covering the date. Needs the personal data keys loaded and a role that may decrypt (finance, admin). Writes nothing.';

REVOKE ALL ON FUNCTION billing_context.build_transfer_records(date, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.build_transfer_records(date, uuid) TO ses_admin_role, ses_finance_role;
