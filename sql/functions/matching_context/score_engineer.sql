-- Why: the matching rule (ses-domain-rules.md section 5) written once, as a
-- pure function of named inputs. Its parameter list is the whole of what a
-- score may depend on: the request's conditions, the weights, and the
-- engineer's skills, commercial-chain depth, availability, remote preference,
-- desired rate and years of experience. Nothing else about a person reaches
-- it (no age, sex, nationality or birthplace is stored, and none could be
-- passed: tests/ses/test_matching.py checks this parameter list). IMMUTABLE and
-- free of table reads, so the same inputs always give the same score.
-- Hard filters first (a missing must-have skill or one below its level, a
-- chain deeper than allowed, not available by the start-by date): an excluded
-- engineer gets a reason and no score. Then each factor is a value in [0, 1]
-- and score = 100 * sum(weight * value) / sum(weight), two decimals.
--   MUST_HAVE_SKILLS     mean over required skills of least(1, years / required years)
--   NICE_TO_HAVE_SKILLS  the same over preferred skills, 0 for a missing one
--   START_DATE           1 when available by the desired start, falling
--                        linearly to 0 at parameters.grace_days (30) late
--   LOCATION             1 when remote policy and preference agree (or either
--                        is open), 0.5 hybrid against the other, 0 onsite/remote
--   RATE                 1 up to budget_max, linearly 0 at parameters.zero_at_over
--                        (0.2 = +20 %) above it; never a bonus below the budget
--   EXPERIENCE_YEARS     least(1, years / the highest years a must-have asks)
-- Years beyond a requirement earn nothing (least(1, ...)).
CREATE OR REPLACE FUNCTION matching_context.score_engineer(
    p_required_skills jsonb,
    p_preferred_skills jsonb,
    p_max_chain_depth smallint,
    p_start_by_date date,
    p_desired_start_date date,
    p_remote_policy text,
    p_budget_max numeric,
    p_weights jsonb,
    p_skills jsonb,
    p_chain_depth smallint,
    p_availability_status text,
    p_available_on date,
    p_remote_preference text,
    p_desired_unit_price numeric,
    p_years_of_experience numeric,
    OUT exclusion_reason text,
    OUT score numeric,
    OUT score_breakdown jsonb
)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_skill jsonb;
    v_have jsonb;
    v_name text;
    v_values jsonb := '{}';
    v_sum numeric := 0;
    v_count integer := 0;
    v_required_years numeric := 0;
    v_grace numeric;
    v_over numeric;
    v_value numeric;
    v_factor text;
    v_weight numeric;
    v_total_weight numeric := 0;
    v_points numeric := 0;
BEGIN
    score_breakdown := '{}';

    -- Hard filters.
    IF p_availability_status IN ('UNAVAILABLE', 'RETIRED') THEN
        exclusion_reason := pg_catalog.format('not available (availability_status %s)', p_availability_status);
        RETURN;
    END IF;
    IF p_max_chain_depth IS NOT NULL AND p_chain_depth > p_max_chain_depth THEN
        exclusion_reason := pg_catalog.format('commercial chain depth %s exceeds the limit %s',
                                              p_chain_depth, p_max_chain_depth);
        RETURN;
    END IF;
    IF p_start_by_date IS NOT NULL
       AND (p_available_on > p_start_by_date
            OR (p_available_on IS NULL AND p_availability_status IS DISTINCT FROM 'AVAILABLE')) THEN
        exclusion_reason := pg_catalog.format('not available by the start-by date %s (available %s)',
                                              p_start_by_date, coalesce(p_available_on::text, 'unknown'));
        RETURN;
    END IF;
    FOR v_skill IN SELECT s.value FROM pg_catalog.jsonb_array_elements(coalesce(p_required_skills, '[]')) AS s LOOP
        v_name := pg_catalog.lower(pg_catalog.btrim(v_skill ->> 'name'));
        v_have := p_skills -> v_name;
        IF v_have IS NULL THEN
            exclusion_reason := pg_catalog.format('missing must-have skill %s', v_skill ->> 'name');
            RETURN;
        END IF;
        IF (v_have ->> 'level')::numeric < (v_skill ->> 'level')::numeric THEN
            exclusion_reason := pg_catalog.format('must-have skill %s at level %s, %s required',
                                                  v_skill ->> 'name', v_have ->> 'level', v_skill ->> 'level');
            RETURN;
        END IF;
        v_required_years := greatest(v_required_years, coalesce((v_skill ->> 'years')::numeric, 0));
        v_sum := v_sum + CASE
            WHEN coalesce((v_skill ->> 'years')::numeric, 0) = 0 THEN 1
            ELSE least(1, coalesce((v_have ->> 'years')::numeric, 0) / (v_skill ->> 'years')::numeric)
        END;
        v_count := v_count + 1;
    END LOOP;
    v_values := v_values || pg_catalog.jsonb_build_object('MUST_HAVE_SKILLS',
        CASE WHEN v_count = 0 THEN 1 ELSE v_sum / v_count END);

    v_sum := 0;
    v_count := 0;
    FOR v_skill IN SELECT s.value FROM pg_catalog.jsonb_array_elements(coalesce(p_preferred_skills, '[]')) AS s LOOP
        v_have := p_skills -> pg_catalog.lower(pg_catalog.btrim(v_skill ->> 'name'));
        v_sum := v_sum + CASE
            WHEN v_have IS NULL THEN 0
            WHEN coalesce((v_skill ->> 'years')::numeric, 0) = 0 THEN 1
            ELSE least(1, coalesce((v_have ->> 'years')::numeric, 0) / (v_skill ->> 'years')::numeric)
        END;
        v_count := v_count + 1;
    END LOOP;
    v_values := v_values || pg_catalog.jsonb_build_object('NICE_TO_HAVE_SKILLS',
        CASE WHEN v_count = 0 THEN 1 ELSE v_sum / v_count END);

    v_grace := coalesce((p_weights -> 'START_DATE' -> 'parameters' ->> 'grace_days')::numeric, 30);
    v_values := v_values || pg_catalog.jsonb_build_object('START_DATE', CASE
        WHEN p_desired_start_date IS NULL THEN 1
        WHEN p_available_on IS NULL THEN CASE WHEN p_availability_status = 'AVAILABLE' THEN 1 ELSE 0 END
        WHEN p_available_on <= p_desired_start_date THEN 1
        WHEN v_grace <= 0 THEN 0
        ELSE greatest(0, 1 - (p_available_on - p_desired_start_date) / v_grace)
    END);

    v_values := v_values || pg_catalog.jsonb_build_object('LOCATION', CASE
        WHEN p_remote_policy IS NULL OR p_remote_preference IS NULL OR p_remote_preference = 'ANY' THEN 1
        WHEN p_remote_policy = p_remote_preference THEN 1
        WHEN 'HYBRID' IN (p_remote_policy, p_remote_preference) THEN 0.5
        ELSE 0
    END);

    v_over := coalesce((p_weights -> 'RATE' -> 'parameters' ->> 'zero_at_over')::numeric, 0.2);
    v_values := v_values || pg_catalog.jsonb_build_object('RATE', CASE
        WHEN p_budget_max IS NULL OR p_desired_unit_price IS NULL OR p_desired_unit_price <= p_budget_max THEN 1
        WHEN p_budget_max = 0 OR v_over <= 0 THEN 0
        ELSE greatest(0, 1 - (p_desired_unit_price - p_budget_max) / (p_budget_max * v_over))
    END);

    v_values := v_values || pg_catalog.jsonb_build_object('EXPERIENCE_YEARS', CASE
        WHEN v_required_years = 0 THEN 1
        ELSE least(1, coalesce(p_years_of_experience, 0) / v_required_years)
    END);

    -- Weighted sum over the factors that have a weight.
    FOR v_factor, v_weight IN
        SELECT w.key, (w.value ->> 'weight')::numeric
        FROM pg_catalog.jsonb_each(coalesce(p_weights, '{}')) AS w
        WHERE v_values ? w.key
        ORDER BY w.key
    LOOP
        v_total_weight := v_total_weight + v_weight;
    END LOOP;
    FOR v_factor, v_weight IN
        SELECT w.key, (w.value ->> 'weight')::numeric
        FROM pg_catalog.jsonb_each(coalesce(p_weights, '{}')) AS w
        WHERE v_values ? w.key
        ORDER BY w.key
    LOOP
        v_value := pg_catalog.round((v_values ->> v_factor)::numeric, 4);
        v_points := v_points + v_weight * (v_values ->> v_factor)::numeric;
        score_breakdown := score_breakdown || pg_catalog.jsonb_build_object(v_factor, pg_catalog.jsonb_build_object(
            'weight', v_weight,
            'value', v_value,
            'points', CASE WHEN v_total_weight = 0 THEN 0
                           ELSE pg_catalog.round(100 * v_weight * (v_values ->> v_factor)::numeric / v_total_weight, 2) END
        ));
    END LOOP;
    score := CASE WHEN v_total_weight = 0 THEN 0 ELSE pg_catalog.round(100 * v_points / v_total_weight, 2) END;
END
$$;

COMMENT ON FUNCTION matching_context.score_engineer(
    jsonb, jsonb, smallint, date, date, text, numeric, jsonb, jsonb, smallint, text, date, text, numeric, numeric
) IS
'Score one engineer against one matching request (pure; reads no table). Returns exclusion_reason (a hard filter failed: missing or too-low must-have skill, chain deeper than max_chain_depth, not available by start_by_date; then score is NULL) or score 0-100 with score_breakdown {factor: {weight, value 0-1, points}}. p_skills: {lower(skill name): {"years": n, "level": n}}; p_weights: {factor: {"weight": w, "parameters": {...}}}. Called by matching_context.score_candidates.';

REVOKE EXECUTE ON FUNCTION matching_context.score_engineer(
    jsonb, jsonb, smallint, date, date, text, numeric, jsonb, jsonb, smallint, text, date, text, numeric, numeric
) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION matching_context.score_engineer(
    jsonb, jsonb, smallint, date, date, text, numeric, jsonb, jsonb, smallint, text, date, text, numeric, numeric
) TO ses_admin_role, ses_project_manager_role;
