-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: "the projects a project manager manages or sells" is the rule behind
-- every project manager policy of the tables that hang off a project
-- (requirements, phases, milestones, matching, contracts, timesheets,
-- invoices). Written once here. Policies call it as
-- project_id = ANY ((SELECT project_context.managed_project_ids())::uuid []): one
-- evaluation per statement, then an index scan on project_id.
-- SECURITY INVOKER: it reads projects under the caller's own policies, so it
-- can never widen what the caller sees.
CREATE OR REPLACE FUNCTION project_context.managed_project_ids()
RETURNS uuid []
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(pg_catalog.array_agg(p.id), '{}')
    FROM project_context.projects AS p
    WHERE p.project_manager_id = (SELECT ses_common.current_user_id())
       OR p.sales_manager_id = (SELECT ses_common.current_user_id())
$$;

COMMENT ON FUNCTION project_context.managed_project_ids() IS
'Ids of the projects (soft-deleted included) whose project_manager_id or sales_manager_id is the acting user (ses_common.current_user_id()); empty when none or when no user is acting.';

REVOKE EXECUTE ON FUNCTION project_context.managed_project_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION project_context.managed_project_ids() TO ses_project_manager_role;
