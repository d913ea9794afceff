-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: the row-level security policies read the acting user from the setting
-- app.current_user_id. It must be set per transaction (set_config(..., true),
-- the same as SET LOCAL) so that, behind a transaction-pooling PgBouncer, the
-- next client given this server connection does not inherit it: call it as
-- the first statement of every transaction, after BEGIN. Outside a transaction
-- block the setting ends with the statement itself.
-- The id is whatever the id space of the role is: engineers.id for
-- ses_engineer_role, the project_manager_id / sales_manager_id of projects for
-- ses_project_manager_role, customer_id for ses_customer_role, the owner or
-- recipient user id for reports and notifications. NULL clears it (sees nothing).
-- This is a claim made by the connecting application, which authenticated the
-- user; a database login of an SES role can claim any user of its role.
CREATE OR REPLACE FUNCTION ses_common.act_as(p_user_id uuid)
RETURNS uuid
LANGUAGE sql
VOLATILE
AS $$
    SELECT pg_catalog.set_config('app.current_user_id', coalesce(p_user_id::text, ''), true);
    SELECT ses_common.current_user_id();
$$;

COMMENT ON FUNCTION ses_common.act_as(uuid) IS
'Act as p_user_id until the end of the current transaction (sets app.current_user_id with set_config(..., true)); returns the acting user as the policies will read it. Call it right after BEGIN, in every transaction: safe behind a transaction-pooling PgBouncer. NULL clears the acting user (no row visible).';

REVOKE EXECUTE ON FUNCTION ses_common.act_as(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.act_as(uuid)
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
