-- Why: optimistic locking on every SES table. A writer names the version it
-- read (UPDATE … SET …, version = <the version read> WHERE id = …); if the row
-- has moved on, the update fails with SE001 instead of silently overwriting
-- someone else's change. An UPDATE that does not mention version keeps
-- NEW.version = OLD.version and simply bumps it. The version is always
-- OLD.version + 1 afterwards, whatever the caller wrote.
-- Convention chosen over "SET version = version + 1 WHERE version = n": that
-- form reports a conflict as "0 rows updated", which callers ignore.
-- Attached as tg_<table>__bump_version (BEFORE UPDATE) by attach_common_triggers.
CREATE OR REPLACE FUNCTION ses_common.tg_bump_version()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
    IF NEW.version IS DISTINCT FROM OLD.version THEN
        RAISE EXCEPTION 'stale version of % row %: the update names version %, the row is at version %',
            coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::regclass), OLD.id, NEW.version, OLD.version
            USING ERRCODE = 'SE001',
                  DETAIL = pg_catalog.format('id=%s expected_version=%s current_version=%s',
                                             OLD.id, NEW.version, OLD.version),
                  HINT = 'Another transaction changed the row after you read it: read it again and redo your change.';
    END IF;
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION ses_common.tg_bump_version() IS
'Trigger function (BEFORE UPDATE, every SES table): optimistic locking. Raises SE001 when the UPDATE sets version to anything but the row''s current version (a stale read); otherwise sets version to the current version + 1.';
