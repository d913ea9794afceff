-- requires: sql/functions/zengin/normalize_identity.sql, sql/functions/bbase/raise_invalid.sql
-- Why: a name that normalises to nothing (empty, blanks, TAB, U+3000,
-- zero-width spaces) names nobody, so it can neither create nor decide a
-- diff. One function gives the canonical name or the one ZG012 error naming
-- the field and the value, for every place that takes a name.
CREATE OR REPLACE FUNCTION zengin.require_identity(p_field text, p_name text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_name text := zengin.normalize_identity(p_name);
BEGIN
    IF coalesce(v_name, '') = '' THEN
        PERFORM bbase.raise_invalid('ZG012', p_field, p_name,
            'a person must be named: nothing is left after removing blanks and invisible characters',
            pg_catalog.format('Give %s as the person''s name, e.g. alice@example.com.', p_field));
    END IF;
    RETURN v_name;
END
$$;

COMMENT ON FUNCTION zengin.require_identity(text, text) IS
'p_name in canonical form (zengin.normalize_identity); raises ZG012 naming field p_field and the value when nothing is left (NULL, empty, only whitespace or invisible characters).';

REVOKE EXECUTE ON FUNCTION zengin.require_identity(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zengin.require_identity(text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
