-- Why: one diff's items are applied set-based, in dependency order inside the
-- diff (bank additions and updates, branch additions, updates and deletions,
-- then bank deletions), after checking that every live row still matches the
-- diff's current data. Called by zengin.execute_approved_diffs inside a
-- subtransaction, so a failure (conflict, foreign key, validation) undoes the
-- whole diff.
CREATE OR REPLACE FUNCTION zengin.apply_diff(p_diff_id text)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_rows integer := 0;
    v_step integer;
    v_conflicts text[];
    v_kinds text[];
BEGIN
    -- One pass over the diff's items: which of the six steps it needs (a
    -- statement that touches no row still fires the statement-level history
    -- triggers, so it is skipped outright), and the conflict check: additions
    -- need an absent row, updates and deletions a row equal to current_data
    -- (hira/roma compared when current_data carries them). Each item probes the
    -- master by primary key (LATERAL … LIMIT 1 is never flattened into a hash
    -- join), so the check costs the diff's size, not the master's: a hash join
    -- read the whole branches table for every diff of a full load.
    SELECT
        pg_catalog.array_agg(DISTINCT i.target || ':' || i.diff_type),
        pg_catalog.array_agg(c.record_key || ' (' || i.diff_type || ')' ORDER BY c.record_key)
            FILTER (WHERE c.conflict)
    INTO v_kinds, v_conflicts
    FROM zengin.diff_items AS i
    LEFT JOIN LATERAL (
        SELECT b.name, b.kana, b.hira, b.roma
        FROM zengin.banks AS b
        WHERE i.target = 'bank' AND b.bank_code = i.bank_code
        LIMIT 1
    ) AS b ON true
    LEFT JOIN LATERAL (
        SELECT r.name, r.kana, r.hira, r.roma
        FROM zengin.branches AS r
        WHERE i.target = 'branch' AND r.bank_code = i.bank_code AND r.branch_code = i.branch_code
        LIMIT 1
    ) AS r ON true
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN i.target = 'bank' THEN i.bank_code
                ELSE i.bank_code || '-' || i.branch_code END AS record_key,
            CASE WHEN i.target = 'bank' THEN
                CASE WHEN i.diff_type = 'addition' THEN b.name IS NOT NULL
                    ELSE b.name IS NULL
                        OR (i.current_data ->> 'bankName') IS DISTINCT FROM b.name
                        OR (i.current_data ->> 'bankKana') IS DISTINCT FROM b.kana
                        OR (i.current_data ? 'bankHira' AND (i.current_data ->> 'bankHira') IS DISTINCT FROM b.hira)
                        OR (i.current_data ? 'bankRoma' AND (i.current_data ->> 'bankRoma') IS DISTINCT FROM b.roma)
                END
            ELSE
                CASE WHEN i.diff_type = 'addition' THEN r.name IS NOT NULL
                    ELSE r.name IS NULL
                        OR (i.current_data ->> 'branchName') IS DISTINCT FROM r.name
                        OR (i.current_data ->> 'branchKana') IS DISTINCT FROM r.kana
                        OR (i.current_data ? 'branchHira' AND (i.current_data ->> 'branchHira') IS DISTINCT FROM r.hira)
                        OR (i.current_data ? 'branchRoma' AND (i.current_data ->> 'branchRoma') IS DISTINCT FROM r.roma)
                END
            END AS conflict
    ) AS c
    WHERE i.diff_id = p_diff_id;
    IF v_kinds IS NULL THEN
        RETURN 0;
    END IF;

    IF v_conflicts IS NOT NULL THEN
        RAISE EXCEPTION 'diff % conflicts with the live master at % record(s): %', p_diff_id,
            pg_catalog.cardinality(v_conflicts), pg_catalog.array_to_string(v_conflicts[1:20], ', ')
            USING ERRCODE = 'ZG014',
                  DETAIL = pg_catalog.format('id=%s conflicts=%s', p_diff_id,
                      pg_catalog.array_to_string(v_conflicts, ',')),
                  HINT = 'The master changed after the diff was made: reject it and diff a new snapshot.';
    END IF;

    IF 'bank:addition' = ANY(v_kinds) THEN
        INSERT INTO zengin.banks (bank_code, name, kana, hira, roma)
        SELECT i.bank_code, i.zengin_data ->> 'bankName', i.zengin_data ->> 'bankKana',
            coalesce(i.zengin_data ->> 'bankHira', zengin.hira_from_kana(i.zengin_data ->> 'bankKana')),
            i.zengin_data ->> 'bankRoma'
        FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'bank' AND i.diff_type = 'addition';
        GET DIAGNOSTICS v_step = ROW_COUNT;
        v_rows := v_rows + v_step;
    END IF;

    IF 'bank:update' = ANY(v_kinds) THEN
        UPDATE zengin.banks AS b
        SET name = coalesce(i.zengin_data ->> 'bankName', b.name),
            kana = coalesce(i.zengin_data ->> 'bankKana', b.kana),
            hira = CASE WHEN i.zengin_data ? 'bankHira' THEN i.zengin_data ->> 'bankHira'
                ELSE zengin.hira_from_kana(coalesce(i.zengin_data ->> 'bankKana', b.kana)) END,
            roma = CASE WHEN i.zengin_data ? 'bankRoma' THEN i.zengin_data ->> 'bankRoma' ELSE b.roma END
        FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'bank' AND i.diff_type = 'update'
            AND b.bank_code = i.bank_code;
        GET DIAGNOSTICS v_step = ROW_COUNT;
        v_rows := v_rows + v_step;
    END IF;

    IF 'branch:addition' = ANY(v_kinds) THEN
        INSERT INTO zengin.branches (bank_code, branch_code, name, kana, hira, roma)
        SELECT i.bank_code, i.branch_code, i.zengin_data ->> 'branchName', i.zengin_data ->> 'branchKana',
            coalesce(i.zengin_data ->> 'branchHira', zengin.hira_from_kana(i.zengin_data ->> 'branchKana')),
            i.zengin_data ->> 'branchRoma'
        FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'branch' AND i.diff_type = 'addition';
        GET DIAGNOSTICS v_step = ROW_COUNT;
        v_rows := v_rows + v_step;
    END IF;

    IF 'branch:update' = ANY(v_kinds) THEN
        UPDATE zengin.branches AS r
        SET name = coalesce(i.zengin_data ->> 'branchName', r.name),
            kana = coalesce(i.zengin_data ->> 'branchKana', r.kana),
            hira = CASE WHEN i.zengin_data ? 'branchHira' THEN i.zengin_data ->> 'branchHira'
                ELSE zengin.hira_from_kana(coalesce(i.zengin_data ->> 'branchKana', r.kana)) END,
            roma = CASE WHEN i.zengin_data ? 'branchRoma' THEN i.zengin_data ->> 'branchRoma' ELSE r.roma END
        FROM zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'branch' AND i.diff_type = 'update'
            AND r.bank_code = i.bank_code AND r.branch_code = i.branch_code;
        GET DIAGNOSTICS v_step = ROW_COUNT;
        v_rows := v_rows + v_step;
    END IF;

    IF 'branch:deletion' = ANY(v_kinds) THEN
        DELETE FROM zengin.branches AS r
        USING zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'branch' AND i.diff_type = 'deletion'
            AND r.bank_code = i.bank_code AND r.branch_code = i.branch_code;
        GET DIAGNOSTICS v_step = ROW_COUNT;
        v_rows := v_rows + v_step;
    END IF;

    IF 'bank:deletion' = ANY(v_kinds) THEN
        DELETE FROM zengin.banks AS b
        USING zengin.diff_items AS i
        WHERE i.diff_id = p_diff_id AND i.target = 'bank' AND i.diff_type = 'deletion'
            AND b.bank_code = i.bank_code;
        GET DIAGNOSTICS v_step = ROW_COUNT;
        v_rows := v_rows + v_step;
    END IF;

    RETURN v_rows;
END
$$;

COMMENT ON FUNCTION zengin.apply_diff(text) IS
'Internal (called by zengin.execute_approved_diffs in a subtransaction): check every item of diff p_diff_id against the live master (ZG014 conflict when a row no longer matches current_data or an added row exists) and apply the items set-based in dependency order. Returns rows affected. Does not change the diff status.';
