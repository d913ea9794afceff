-- Why: which weights score a request is one rule, used by score_candidates and
-- readable by an operator explaining a score. A tenant with active criteria
-- uses its own; otherwise the default set (tenant_id NULL); for each factor
-- the newest row valid on p_on_date. Where no row exists at all, the weights
-- of ses-domain-rules.md section 5 apply (must-have 45, start date 15,
-- nice-to-have 12, location 10, rate 10, years 8), so scoring works on a fresh
-- install. SECURITY INVOKER: the caller reads scoring_criteria under its own
-- policies (admins and project managers may).
CREATE OR REPLACE FUNCTION matching_context.read_scoring_weights(
    p_tenant_id uuid DEFAULT NULL,
    p_on_date date DEFAULT current_date
) RETURNS jsonb
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
    v_weights jsonb;
    v_tenant uuid;
BEGIN
    v_tenant := CASE WHEN p_tenant_id IS NOT NULL AND EXISTS (
        SELECT FROM matching_context.scoring_criteria AS c
        WHERE c.tenant_id = p_tenant_id AND c.is_active AND c.deleted_at IS NULL AND c.valid_from <= p_on_date
    ) THEN p_tenant_id END;

    SELECT pg_catalog.jsonb_object_agg(c.factor,
               pg_catalog.jsonb_build_object('weight', c.weight, 'parameters', c.parameters))
    INTO v_weights
    FROM (
        SELECT DISTINCT ON (sc.factor) sc.factor, sc.weight, sc.parameters
        FROM matching_context.scoring_criteria AS sc
        WHERE sc.tenant_id IS NOT DISTINCT FROM v_tenant
          AND sc.is_active AND sc.deleted_at IS NULL AND sc.valid_from <= p_on_date
        ORDER BY sc.factor, sc.valid_from DESC, sc.id
    ) AS c;

    RETURN coalesce(v_weights, pg_catalog.jsonb_build_object(
        'MUST_HAVE_SKILLS', pg_catalog.jsonb_build_object('weight', 45, 'parameters', '{}'::jsonb),
        'START_DATE', pg_catalog.jsonb_build_object('weight', 15, 'parameters', '{}'::jsonb),
        'NICE_TO_HAVE_SKILLS', pg_catalog.jsonb_build_object('weight', 12, 'parameters', '{}'::jsonb),
        'LOCATION', pg_catalog.jsonb_build_object('weight', 10, 'parameters', '{}'::jsonb),
        'RATE', pg_catalog.jsonb_build_object('weight', 10, 'parameters', '{}'::jsonb),
        'EXPERIENCE_YEARS', pg_catalog.jsonb_build_object('weight', 8, 'parameters', '{}'::jsonb)
    ));
END
$$;

COMMENT ON FUNCTION matching_context.read_scoring_weights(uuid, date) IS
'The matching weights in force: {factor: {"weight": w, "parameters": {...}}} of the tenant''s active scoring_criteria (newest valid_from <= p_on_date per factor), else the default set (tenant_id NULL), else the documented defaults 45/15/12/10/10/8.';

REVOKE EXECUTE ON FUNCTION matching_context.read_scoring_weights(uuid, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION matching_context.read_scoring_weights(uuid, date) TO ses_admin_role, ses_project_manager_role;
