-- requires: sql/functions/ses_common/is_purge_permitted.sql
-- Why: SES rows are never removed by a plain DELETE (the design document's
-- soft delete): a DELETE marks deleted_at and the row stays for history,
-- reports and the archive. Because the trigger cancels the physical delete,
-- DELETE reports 0 rows for soft-deleted rows; check deleted_at instead.
-- Deleting an already soft-deleted row changes nothing.
--
-- Purge path: when the transaction holds a purge permit
-- (ses_common.is_purge_permitted: a row of ses_common.purge_permits, which only
-- the owner's purge code writes), the DELETE really removes the rows (and,
-- through ON DELETE CASCADE, their children in the same context).
-- ses_common.purge_deleted takes one for rows soft-deleted before a cutoff;
-- archiving takes one after copying rows away. Not a setting: any session may
-- set a custom setting, and a role allowed to soft-delete must not be able to
-- remove rows for good.
--
-- SECURITY DEFINER: the soft delete is an UPDATE, which a role allowed to
-- DELETE the row may lack the UPDATE grant or policy for; the row was already
-- selected by the caller's DELETE, and only deleted_at is set.
-- Attached as tg_<table>__soft_delete (BEFORE DELETE) by attach_common_triggers.
CREATE OR REPLACE FUNCTION ses_common.tg_soft_delete()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    IF ses_common.is_purge_permitted() THEN
        RETURN OLD;
    END IF;
    IF OLD.deleted_at IS NULL THEN
        -- TG_TABLE_NAME is the leaf partition for partitioned tables: update it directly.
        EXECUTE pg_catalog.format(
            'UPDATE ONLY %I.%I SET deleted_at = pg_catalog.now() WHERE id = $1 AND deleted_at IS NULL',
            TG_TABLE_SCHEMA, TG_TABLE_NAME
        ) USING OLD.id;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ses_common.tg_soft_delete() IS
'Trigger function (BEFORE DELETE, every SES table): turns DELETE into setting deleted_at (the row stays; DELETE reports 0 rows). When the transaction holds a purge permit (ses_common.is_purge_permitted: ses_common.purge_deleted, archiving), the row is really deleted.';
