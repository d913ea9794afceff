-- Why: an error message or a quarantine reason names the value it refuses,
-- but a hostile value can be 400 KB; shown whole it would flood the message,
-- the logs and the terminal. Every such message shows values through this.
CREATE OR REPLACE FUNCTION bbase.abbreviate_value(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN CASE
    WHEN pg_catalog.char_length(p_value) > 80
        THEN pg_catalog.left(p_value, 60) || pg_catalog.format('… (%s characters)', pg_catalog.char_length(p_value))
    ELSE p_value
END;

COMMENT ON FUNCTION bbase.abbreviate_value(text) IS
'p_value as an error message shows it: unchanged up to 80 characters, else its first 60 characters, an ellipsis and its length. NULL for NULL.';
-- bbase_sync calls zengin_sync.check_record and check_zengin_data directly, which use it;
-- raise_invalid runs only as its owner.
GRANT EXECUTE ON FUNCTION bbase.abbreviate_value(text) TO bbase_sync;
