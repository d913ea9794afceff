-- Why: an error message or a quarantine reason names the value it refuses,
-- but a hostile value can be 400 KB; shown whole it would flood the message,
-- the logs and the terminal. Every such message shows values through this.
-- Control characters (newline, TAB, ESC, …) are shown as their Unicode control
-- pictures (␊, ␉, ␛): a value can neither break a message onto a second line
-- nor send escape sequences to the operator's terminal.
CREATE OR REPLACE FUNCTION bbase.abbreviate_value(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN pg_catalog.translate(
    CASE
        WHEN pg_catalog.char_length(p_value) > 80
            THEN pg_catalog.left(p_value, 60) || pg_catalog.format('… (%s characters)', pg_catalog.char_length(p_value))
        ELSE p_value
    END,
    U&'\0001\0002\0003\0004\0005\0006\0007\0008\0009\000A\000B\000C\000D\000E\000F\0010\0011\0012\0013\0014\0015\0016\0017\0018\0019\001A\001B\001C\001D\001E\001F\007F',
    U&'\2401\2402\2403\2404\2405\2406\2407\2408\2409\240A\240B\240C\240D\240E\240F\2410\2411\2412\2413\2414\2415\2416\2417\2418\2419\241A\241B\241C\241D\241E\241F\2421'
);

COMMENT ON FUNCTION bbase.abbreviate_value(text) IS
'p_value as an error message shows it: unchanged up to 80 characters, else its first 60 characters, an ellipsis and its length; control characters shown as their Unicode control pictures (a newline as ␊), so the message stays one line. NULL for NULL.';
-- bbase_sync calls zengin_sync.check_record and check_zengin_data directly, which use it;
-- raise_invalid runs only as its owner.
GRANT EXECUTE ON FUNCTION bbase.abbreviate_value(text) TO bbase_sync;
