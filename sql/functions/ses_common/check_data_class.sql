-- Why: an unknown data class would derive a password nobody can read with;
-- refuse it at once with one line naming it. Callers test the cheap
-- ses_common.is_personal_data_class first and call this only to raise.
-- requires: sql/functions/ses_common/is_personal_data_class.sql
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
CREATE OR REPLACE FUNCTION ses_common.check_data_class(p_data_class text)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF NOT ses_common.is_personal_data_class(p_data_class) THEN
        RAISE EXCEPTION 'data_class: unknown personal data class %', coalesce(pg_catalog.quote_literal(p_data_class), 'NULL')
            USING ERRCODE = 'SE122',
                  DETAIL = pg_catalog.format('field=data_class value=%s', p_data_class),
                  HINT = 'Use one of: SELECT DISTINCT data_class FROM ses_common.encrypted_columns.';
    END IF;
END
$$;

COMMENT ON FUNCTION ses_common.check_data_class(text) IS
'Internal: SE122 unless ses_common.is_personal_data_class(p_data_class). Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.check_data_class(text) FROM PUBLIC;
