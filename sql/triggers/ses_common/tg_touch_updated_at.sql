-- Why: every SES table keeps updated_at itself, so no caller can forget it or
-- fake it, and created_at cannot be rewritten. Attached to every SES table as
-- tg_<table>__touch_updated_at (BEFORE UPDATE) by ses_common.attach_common_triggers;
-- one shared function instead of one per table (the tg_<table>__<task> names
-- are the triggers', the function is named after the task).
-- Not SECURITY DEFINER and no SET clause: it touches only NEW and OLD, and a
-- SET clause would cost on every row of a bulk update.
CREATE OR REPLACE FUNCTION ses_common.tg_touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
    NEW.updated_at := pg_catalog.now();
    NEW.created_at := OLD.created_at;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION ses_common.tg_touch_updated_at() IS
'Trigger function (BEFORE UPDATE, every SES table): sets updated_at to the transaction time and keeps created_at unchanged.';
