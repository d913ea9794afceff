-- Why: every "bad input" error in the product must name the field and the value
-- and carry a project SQLSTATE. One helper keeps the wording identical everywhere.
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
BEGIN
    RAISE EXCEPTION 'invalid %: % (%)', p_field, coalesce(quote_literal(p_value), 'NULL'), p_rule
        USING ERRCODE = p_sqlstate,
              DETAIL = format('field=%s value=%s', p_field, coalesce(p_value, 'NULL')),
              HINT = coalesce(p_hint, format('Correct %s and try again.', p_field)),
              COLUMN = p_field;
END
$$;

COMMENT ON FUNCTION bbase.raise_invalid(text, text, text, text, text) IS
'Raise a bad-input error naming the field and the value: message "invalid <field>: ''<value>'' (<rule>)", the given project SQLSTATE, DETAIL field=/value=, HINT. Used by validation triggers and functions.';
