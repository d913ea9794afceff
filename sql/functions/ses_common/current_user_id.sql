-- Why: every row-level security policy of the SES contexts asks "who is
-- acting?", and must never fail open nor fail loudly. The document's
-- current_setting('app.current_user_id')::uuid errors when the setting is
-- unset, and ''::uuid errors once a SET LOCAL has ended (the setting then
-- reads ''). Here unset, empty, whitespace, non-canonical or garbage values
-- all read NULL, and a NULL acting user matches no row: it sees nothing.
-- Only the canonical 36-character form is accepted (the uuid input function
-- also takes braces, missing hyphens and upper case: one spelling per user).
-- Policies call it as (SELECT ses_common.current_user_id()), so it runs once
-- per statement as an init plan, not once per row.
-- Not SECURITY DEFINER; no SET clause and a single expression (no FROM), so
-- the planner inlines it: a SQL function it cannot inline is parsed and
-- planned again in every statement that calls it, which made each policy
-- check of a single-row workflow call cost a parse (the seed's thousands of
-- record_attendance calls spent most of their time there).
CREATE OR REPLACE FUNCTION ses_common.current_user_id()
RETURNS uuid
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN pg_catalog.current_setting('app.current_user_id', true)
            ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        THEN pg_catalog.current_setting('app.current_user_id', true)::uuid
    END
$$;

COMMENT ON FUNCTION ses_common.current_user_id() IS
'The acting SES user: the transaction''s app.current_user_id as a uuid (set it with ses_common.act_as). NULL, never an error, when the setting is unset, empty or not a canonical lower-case uuid; a NULL acting user sees no row under the row-level security policies.';

REVOKE EXECUTE ON FUNCTION ses_common.current_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.current_user_id()
TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role;
