-- Why: every diff must expire like its DynamoDB record (ttl = creation + 90
-- days), also when it is created by hand or imported rather than by
-- zengin.diff_snapshot; and a new diff always starts pending.
CREATE OR REPLACE FUNCTION zengin.tg_diffs__set_defaults()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    IF NEW.ttl IS NULL THEN
        NEW.ttl := pg_catalog.floor(pg_catalog.date_part('epoch', NEW.timestamp + interval '90 days'))::bigint;
    END IF;
    NEW.updated_at := coalesce(NEW.updated_at, NEW.timestamp);
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION zengin.tg_diffs__set_defaults() IS
'Trigger function: fills ttl (epoch seconds, 90 days after timestamp) and updated_at of a new diff when not given.';

CREATE OR REPLACE TRIGGER tg_diffs__set_defaults
BEFORE INSERT ON zengin.diffs
FOR EACH ROW EXECUTE FUNCTION zengin.tg_diffs__set_defaults();

COMMENT ON TRIGGER tg_diffs__set_defaults ON zengin.diffs IS
'Fills ttl and updated_at of a new diff (see the function).';
