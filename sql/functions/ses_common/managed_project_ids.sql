-- requires: sql/functions/ses_common/current_user_id.sql
-- Why: "the projects a project manager manages or sells" is the rule behind
-- every project manager policy of the tables that hang off a project
-- (requirements, phases, milestones, matching, contracts, timesheets,
-- invoices). Written once here. Policies call it as
-- project_id = ANY((SELECT ses_common.managed_project_ids())::uuid[]): one
-- evaluation per statement, then an index scan on project_id.
-- In ses_common, not project_context, and plpgsql reading projects only when
-- that table is installed: the policies of the other contexts call it, and a
-- context restored on its own (scripts/restore.sh restores ses_common first)
-- must not depend on project_context. Without projects it answers no project.
-- SECURITY INVOKER: it reads projects under the caller's own policies, so it
-- can never widen what the caller sees.
CREATE OR REPLACE FUNCTION ses_common.managed_project_ids()
RETURNS uuid[]
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_user uuid := ses_common.current_user_id();
BEGIN
    IF v_user IS NULL OR pg_catalog.to_regclass('project_context.projects') IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN (
        SELECT coalesce(pg_catalog.array_agg(p.id), '{}')
        FROM project_context.projects AS p
        WHERE p.project_manager_id = v_user OR p.sales_manager_id = v_user
    );
END
$$;

COMMENT ON FUNCTION ses_common.managed_project_ids() IS
'Ids of the projects (soft-deleted included) whose project_manager_id or sales_manager_id is the acting user (ses_common.current_user_id()); empty when none, when no user is acting, or when project_context is not installed in this database.';

REVOKE EXECUTE ON FUNCTION ses_common.managed_project_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.managed_project_ids() TO ses_project_manager_role;
