-- requires: sql/functions/matching_context/score_engineer.sql, sql/functions/matching_context/read_scoring_weights.sql, sql/functions/bbase/raise_invalid.sql
-- Why: a project manager asks "who fits this request?". This scores every
-- engineer against the request's conditions with matching_context.score_engineer
-- (the one place of the rule) and stores the result as matching_candidates,
-- each with its per-factor breakdown, so a proposal can be explained later.
-- p_expected_version is the request version the caller read: if its
-- conditions changed since, SE001 (the caller would otherwise look at scores
-- for conditions it never saw). The request row itself is not changed.
-- Idempotent: a candidate row is written only when its score, breakdown or
-- exclusion changes, so a second call writes nothing and answers changed =
-- false on every row. Only machine-made rows (SUGGESTED, EXCLUDED) are
-- rescored; a candidate a person shortlisted, proposed, or decided keeps its
-- row. An engineer that fails a hard filter gets no new row; an existing
-- SUGGESTED row becomes EXCLUDED with the reason, and comes back as SUGGESTED
-- once the filter passes again.
-- SECURITY INVOKER: the request is read and the candidates written under the
-- caller's row-level security, so a project manager scores only the requests
-- of the projects they manage or sell (SE190 for any other).
-- Engineer facts used: skills from skill_assessments (highest level and years
-- per skill name), chain_depth, availability (available_from, else the earliest
-- open availability period), remote_preference, desired_unit_price,
-- years_of_experience. Nothing else is read.
CREATE OR REPLACE FUNCTION matching_context.score_candidates(
    p_request_id uuid,
    p_expected_version integer,
    p_tenant_id uuid DEFAULT NULL
) RETURNS TABLE (
    rank bigint,
    engineer_id uuid,
    score numeric,
    score_breakdown jsonb,
    changed boolean
)
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
#variable_conflict use_column
DECLARE
    v_request matching_context.matching_requests;
    v_weights jsonb;
    v_changed uuid[];
    v_field text;
    v_skill jsonb;
BEGIN
    IF p_request_id IS NULL THEN
        PERFORM bbase.raise_invalid('SE195', 'p_request_id', p_request_id::text, 'the matching request id is required');
    END IF;
    IF p_expected_version IS NULL OR p_expected_version < 1 THEN
        PERFORM bbase.raise_invalid('SE195', 'p_expected_version', p_expected_version::text,
            'the version of the request as read (1 or more)');
    END IF;

    SELECT r.* INTO v_request
    FROM matching_context.matching_requests AS r
    WHERE r.id = p_request_id AND r.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'matching request % does not exist or is not yours', p_request_id
            USING ERRCODE = 'SE190', DETAIL = pg_catalog.format('matching_request_id=%s', p_request_id),
                  HINT = 'Check the id; a project manager scores only the requests of their projects.';
    END IF;
    IF v_request.version <> p_expected_version THEN
        RAISE EXCEPTION 'stale version of matching request %: you read version %, it is at version %',
            p_request_id, p_expected_version, v_request.version
            USING ERRCODE = 'SE001',
                  DETAIL = pg_catalog.format('id=%s expected_version=%s current_version=%s',
                                             p_request_id, p_expected_version, v_request.version),
                  HINT = 'The request changed after you read it: read it again and score again.';
    END IF;
    IF v_request.status NOT IN ('OPEN', 'SEARCHING', 'PROPOSING') THEN
        RAISE EXCEPTION 'matching request % is %: only OPEN, SEARCHING or PROPOSING requests are scored',
            p_request_id, v_request.status
            USING ERRCODE = 'SE191', DETAIL = pg_catalog.format('matching_request_id=%s status=%s', p_request_id, v_request.status);
    END IF;

    -- The request's skill lists are data someone typed: check their shape here,
    -- so a bad element is one line naming it, not a cast error in the middle.
    FOR v_field, v_skill IN
        SELECT l.field || '[' || (e.n - 1) || ']', e.value
        FROM (VALUES ('required_skills', v_request.required_skills),
                     ('preferred_skills', v_request.preferred_skills)) AS l (field, skills)
        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(l.skills) WITH ORDINALITY AS e (value, n)
    LOOP
        IF pg_catalog.jsonb_typeof(v_skill) IS DISTINCT FROM 'object'
           OR pg_catalog.jsonb_typeof(v_skill -> 'name') IS DISTINCT FROM 'string'
           OR pg_catalog.btrim(v_skill ->> 'name') = ''
           OR pg_catalog.jsonb_typeof(coalesce(v_skill -> 'years', '0')) <> 'number'
           OR pg_catalog.jsonb_typeof(coalesce(v_skill -> 'level', '0')) <> 'number' THEN
            PERFORM bbase.raise_invalid('SE195', v_field, v_skill::text,
                'a skill is {"name": "<skill>", "years": <number>, "level": <number>}, years and level optional');
        END IF;
    END LOOP;

    v_weights := matching_context.read_scoring_weights(p_tenant_id);

    WITH m AS MATERIALIZED (
        SELECT e.id AS engineer_id, s.exclusion_reason, s.score, coalesce(s.score_breakdown, '{}') AS score_breakdown,
               CASE WHEN s.exclusion_reason IS NULL THEN 'SUGGESTED' ELSE 'EXCLUDED' END AS status
        FROM engineer_context.engineers AS e
        CROSS JOIN LATERAL (
            SELECT coalesce(pg_catalog.jsonb_object_agg(k.skill,
                                pg_catalog.jsonb_build_object('years', k.years, 'level', k.level)), '{}') AS skills
            FROM (
                SELECT pg_catalog.lower(pg_catalog.btrim(a.skill_name)) AS skill,
                       max(a.years_of_experience) AS years, max(a.skill_level) AS level
                FROM engineer_context.skill_assessments AS a
                WHERE a.engineer_id = e.id AND a.deleted_at IS NULL
                GROUP BY 1
            ) AS k
        ) AS sk
        CROSS JOIN LATERAL (
            SELECT coalesce(e.available_from, min(p.available_from)) AS available_on
            FROM engineer_context.availability_periods AS p
            WHERE p.engineer_id = e.id AND p.deleted_at IS NULL AND p.status <> 'CANCELLED'
              AND (p.available_to IS NULL
                   OR p.available_to >= coalesce(v_request.desired_start_date, v_request.start_by_date, p.available_from))
        ) AS av
        CROSS JOIN LATERAL matching_context.score_engineer(
            v_request.required_skills, v_request.preferred_skills, v_request.max_chain_depth,
            v_request.start_by_date, v_request.desired_start_date, v_request.remote_policy, v_request.budget_max,
            v_weights,
            sk.skills, e.chain_depth, e.availability_status, av.available_on, e.remote_preference,
            e.desired_unit_price, e.years_of_experience
        ) AS s
        WHERE e.deleted_at IS NULL
    ),
    -- Rescore the machine-made rows whose result changed.
    upd AS (
        UPDATE matching_context.matching_candidates AS c
        SET status = m.status,
            exclusion_reason = m.exclusion_reason,
            score = m.score,
            score_breakdown = m.score_breakdown
        FROM m
        WHERE c.matching_request_id = p_request_id AND c.deleted_at IS NULL
          AND c.engineer_id = m.engineer_id
          AND c.status IN ('SUGGESTED', 'EXCLUDED')
          AND (c.status IS DISTINCT FROM m.status
               OR c.exclusion_reason IS DISTINCT FROM m.exclusion_reason
               OR c.score IS DISTINCT FROM m.score
               OR c.score_breakdown IS DISTINCT FROM m.score_breakdown)
        RETURNING c.engineer_id
    ),
    -- New candidates: engineers passing the filters without a row yet.
    ins AS (
        INSERT INTO matching_context.matching_candidates AS c
            (matching_request_id, engineer_id, status, score, score_breakdown)
        SELECT p_request_id, m.engineer_id, m.status, m.score, m.score_breakdown
        FROM m
        WHERE m.exclusion_reason IS NULL
          AND NOT EXISTS (
              SELECT FROM matching_context.matching_candidates AS x
              WHERE x.matching_request_id = p_request_id AND x.engineer_id = m.engineer_id AND x.deleted_at IS NULL
          )
        ORDER BY m.engineer_id
        RETURNING c.engineer_id
    )
    SELECT coalesce(pg_catalog.array_agg(w.engineer_id), '{}')
    INTO v_changed
    FROM (SELECT upd.engineer_id FROM upd UNION ALL SELECT ins.engineer_id FROM ins) AS w;

    RETURN QUERY
    SELECT pg_catalog.row_number() OVER (ORDER BY c.score DESC, c.engineer_id),
           c.engineer_id, c.score, c.score_breakdown, c.engineer_id = ANY(v_changed)
    FROM matching_context.matching_candidates AS c
    WHERE c.matching_request_id = p_request_id AND c.deleted_at IS NULL AND c.status <> 'EXCLUDED'
    ORDER BY c.score DESC, c.engineer_id;
END
$$;

COMMENT ON FUNCTION matching_context.score_candidates(uuid, integer, uuid) IS
'Score every engineer against matching request p_request_id (at version p_expected_version, else SE001) and store the candidates with their per-factor score_breakdown. Returns the candidates ranked by score, ties by engineer_id, with changed = false where nothing was rewritten (a repeated call changes nothing). Hard filters: must-have skills, max_chain_depth, availability by start_by_date. p_tenant_id picks that tenant''s scoring_criteria (default set otherwise). SE190 request missing or not yours, SE191 request not OPEN/SEARCHING/PROPOSING.';

REVOKE EXECUTE ON FUNCTION matching_context.score_candidates(uuid, integer, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION matching_context.score_candidates(uuid, integer, uuid) TO ses_admin_role, ses_project_manager_role;
