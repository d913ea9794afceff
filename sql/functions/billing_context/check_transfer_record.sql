-- Why: "every record of a transfer file is exactly 120 bytes of JIS
-- half-width" is the rule a bank rejects a whole file for; the builder asserts
-- it on each record it returns, in the encoding the file is written in
-- (Shift_JIS; cp932 agrees with it on every half-width character), so a bug
-- in a field width can never reach the bank.
CREATE OR REPLACE FUNCTION billing_context.check_transfer_record(p_record text)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
BEGIN
    IF p_record IS NULL OR pg_catalog.length(p_record) <> 120
       OR pg_catalog.octet_length(pg_catalog.convert_to(p_record, 'SJIS')) <> 120 THEN
        RAISE EXCEPTION 'transfer record type % is % characters / % bytes, not 120 half-width',
            pg_catalog.left(p_record, 1), pg_catalog.length(p_record),
            pg_catalog.octet_length(pg_catalog.convert_to(p_record, 'SJIS'))
            USING ERRCODE = 'SE148',
                  HINT = 'A field of billing_context.build_transfer_records has the wrong width or a full-width character: a bug, report it.';
    END IF;
END
$$;

COMMENT ON FUNCTION billing_context.check_transfer_record(text) IS
'Raise SE148 unless p_record is 120 characters and 120 bytes in Shift_JIS (all half-width): the assertion the transfer file builder makes on every record.';

REVOKE ALL ON FUNCTION billing_context.check_transfer_record(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_context.check_transfer_record(text) TO ses_admin_role, ses_finance_role;
