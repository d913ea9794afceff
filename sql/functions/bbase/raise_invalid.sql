-- requires: sql/functions/bbase/abbreviate_value.sql
-- Why: every "bad input" error in the product must name the field and the value
-- and carry a project SQLSTATE. One helper keeps the wording identical everywhere.
-- A long value is shown abbreviated (bbase.abbreviate_value):
-- a 400 KB name must not become a 400 KB error message or log line.
CREATE OR REPLACE FUNCTION bbase.raise_invalid(
    p_sqlstate text,
    p_field text,
    p_value text,
    p_rule text,
    p_hint text DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_shown text := bbase.abbreviate_value(p_value);
BEGIN
    RAISE EXCEPTION 'invalid %: % (%)', p_field, coalesce(pg_catalog.quote_literal(v_shown), 'NULL'), p_rule
        USING ERRCODE = p_sqlstate,
              DETAIL = pg_catalog.format('field=%s value=%s', p_field, coalesce(v_shown, 'NULL')),
              HINT = coalesce(p_hint, pg_catalog.format('Correct %s and try again.', p_field)),
              COLUMN = p_field;
END
$$;

COMMENT ON FUNCTION bbase.raise_invalid(text, text, text, text, text) IS
'Raise a bad-input error naming the field and the value: message "invalid <field>: ''<value>'' (<rule>)", the given project SQLSTATE, DETAIL field=/value=, HINT. Long values are shown abbreviated (bbase.abbreviate_value). Used by validation triggers and functions.';
