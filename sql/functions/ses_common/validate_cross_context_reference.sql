-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: contexts refer to each other by uuid, without foreign keys, so that any
-- context can later move to its own database (design document). This is the
-- document's validate_cross_context_reference, fixed:
-- * the target must be an SES context schema (*_context): as SECURITY DEFINER
--   it must not become a probe into arbitrary tables (SE005 otherwise);
-- * a target table absent from this database answers NULL ("cannot tell")
--   instead of failing with 42P01: a context installed on its own database
--   does not have the others (see tg_check_references for the rule);
-- * a NULL id answers NULL (there is nothing to check);
-- * volatility declared (STABLE), search_path pinned, names quoted with %I.
-- SECURITY DEFINER so that a role inserting a contract needs no SELECT grant on
-- projects to have the reference checked; it only learns whether a live row
-- with that id exists.
CREATE OR REPLACE FUNCTION ses_common.validate_cross_context_reference(
    p_target_schema text,
    p_target_table text,
    p_target_id uuid
) RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_exists boolean;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    IF p_target_schema IS NULL OR p_target_schema NOT LIKE '%\_context' THEN
        PERFORM bbase.raise_invalid('SE005', 'target_schema', p_target_schema,
                                    'must be an SES context schema (*_context)');
    END IF;
    IF p_target_id IS NULL
       OR pg_catalog.to_regclass(pg_catalog.format('%I.%I', p_target_schema, p_target_table)) IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT FROM %I.%I WHERE id = $1 AND deleted_at IS NULL)',
        p_target_schema, p_target_table
    ) INTO v_exists USING p_target_id;
    RETURN v_exists;
END
$$;

COMMENT ON FUNCTION ses_common.validate_cross_context_reference(text, text, uuid) IS
'Does <target_schema>.<target_table> hold a live row (deleted_at IS NULL) with id = target_id? true/false; NULL when the id is NULL or the target table is not installed in this database. Raises SE005 for a schema that is not an SES context.';

GRANT EXECUTE ON FUNCTION ses_common.validate_cross_context_reference(text, text, uuid)
TO ses_admin_role, ses_project_manager_role, ses_finance_role, bbase_operator;
