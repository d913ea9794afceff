-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: a customer sees, of engineers, only name and skills, and only of the
-- engineers placed with them: those of the CUSTOMER-side contracts whose
-- customer_id is the acting customer. The engineer_context policies need that
-- set, which lives in contract_context; written once here, in ses_common and
-- plpgsql for the same reason as managed_project_ids: a context restored on
-- its own must not depend on another. Without contracts it answers no engineer.
-- SECURITY INVOKER: it reads contracts under the caller's own policies.
CREATE OR REPLACE FUNCTION ses_common.placed_engineer_ids()
RETURNS uuid[]
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_user uuid := ses_common.current_user_id();
BEGIN
    IF v_user IS NULL OR pg_catalog.to_regclass('contract_context.contracts') IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN (
        SELECT coalesce(pg_catalog.array_agg(DISTINCT c.engineer_id), '{}')
        FROM contract_context.contracts AS c
        WHERE c.customer_id = v_user AND c.contract_side = 'CUSTOMER' AND c.engineer_id IS NOT NULL
    );
END
$$;

COMMENT ON FUNCTION ses_common.placed_engineer_ids() IS
'Ids of the engineers of the CUSTOMER-side contracts (soft-deleted included) whose customer_id is the acting user (ses_common.current_user_id()); empty when none, when no user is acting, or when contract_context is not installed in this database.';

REVOKE EXECUTE ON FUNCTION ses_common.placed_engineer_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.placed_engineer_ids() TO ses_customer_role;
