-- Why: the soft delete lets a DELETE really remove rows only on the purge
-- path, and that permission must be one no application role can give
-- itself. A custom setting can be set by any session; a row of
-- ses_common.purge_permits can be written only by the owner's purge code.
-- Written here once; tg_soft_delete and the attendance guard read it.
-- SECURITY DEFINER: the invoker's triggers (the attendance guard runs as the
-- deleting role) must read a table no role has privileges on; it answers a
-- boolean about the current transaction and nothing else.
CREATE OR REPLACE FUNCTION ses_common.is_purge_permitted()
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- A context installed before 0202 has no permits table: nothing is permitted.
    IF pg_catalog.to_regclass('ses_common.purge_permits') IS NULL THEN
        RETURN false;
    END IF;
    RETURN EXISTS (
        SELECT FROM ses_common.purge_permits AS p
        WHERE p.xact_id = pg_catalog.pg_current_xact_id_if_assigned()
    );
END
$$;

COMMENT ON FUNCTION ses_common.is_purge_permitted() IS
'True when the current transaction holds a purge permit (a row of ses_common.purge_permits written by ses_common.purge_deleted or archive_old_data): its DELETEs on SES tables then remove rows for good. False otherwise, whatever any setting says.';

REVOKE EXECUTE ON FUNCTION ses_common.is_purge_permitted() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.is_purge_permitted()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
