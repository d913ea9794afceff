-- requires: sql/functions/zengin/find_diff_conflicts.sql, sql/functions/zengin/hira_from_kana.sql
-- requires: sql/functions/zengin/lock_diff_targets.sql
-- Why: one diff's items are applied set-based, one statement per kind and
-- table, in dependency order inside the diff (bank additions and updates,
-- branch additions, updates and deletions, then bank deletions), and only when
-- every live row still matches the diff (zengin.find_diff_conflicts), checked
-- after the rows to update or delete are locked (zengin.lock_diff_targets), so
-- no concurrent edit can slip in between the check and the write. Called by
-- zengin.execute_approved_diffs inside a subtransaction, so a failure
-- (conflict, foreign key, validation) undoes the whole diff.
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
    -- Which of the six steps this diff needs: a statement that touches no row
    -- still fires the statement-level history triggers, so skip it outright.
    SELECT pg_catalog.array_agg(DISTINCT i.target || ':' || i.diff_type)
    INTO v_kinds
    FROM zengin.diff_items AS i
    WHERE i.diff_id = p_diff_id;
    IF v_kinds IS NULL THEN
        RETURN 0;
    END IF;

    -- Conflict check. Updates and deletions need a live row equal to
    -- current_data: their rows are locked, then checked before anything
    -- changes (a concurrent edit is waited for, then seen by the check).
    -- Additions need an absent row, which the primary key checks as the row
    -- is inserted; a failing step is undone and the whole diff checked, so a
    -- conflict is reported as such (ZG014, every conflicting record listed)
    -- before any other error.
    IF v_kinds && ARRAY['bank:update', 'bank:deletion', 'branch:update', 'branch:deletion'] THEN
        PERFORM zengin.lock_diff_targets(p_diff_id);
        v_conflicts := zengin.find_diff_conflicts(p_diff_id, false);
        IF v_conflicts IS NOT NULL THEN
            v_conflicts := zengin.find_diff_conflicts(p_diff_id, true);
        END IF;
    END IF;

    IF v_conflicts IS NULL THEN
        BEGIN
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
        EXCEPTION WHEN OTHERS THEN
            -- Undone already; a conflict outranks the step's own error.
            v_conflicts := zengin.find_diff_conflicts(p_diff_id, true);
            IF v_conflicts IS NULL THEN
                RAISE;
            END IF;
        END;
    END IF;

    IF v_conflicts IS NOT NULL THEN
        RAISE EXCEPTION 'diff % conflicts with the live master at % record(s): %', p_diff_id,
            pg_catalog.cardinality(v_conflicts), pg_catalog.array_to_string(v_conflicts[1:20], ', ')
            USING ERRCODE = 'ZG014',
                  DETAIL = pg_catalog.format('id=%s conflicts=%s', p_diff_id,
                      pg_catalog.array_to_string(v_conflicts, ',')),
                  HINT = 'The master changed after the diff was made: reject it and diff a new snapshot.';
    END IF;

    RETURN v_rows;
END
$$;

COMMENT ON FUNCTION zengin.apply_diff(text) IS
'Internal (called by zengin.execute_approved_diffs in a subtransaction): apply the items of diff p_diff_id set-based in dependency order, all or none, unless one conflicts with the live master (ZG014 listing every conflicting record, see zengin.find_diff_conflicts: the rows of updates and deletions locked (zengin.lock_diff_targets, so a concurrent edit is waited for and then detected) and checked first, additions by the primary key as they are inserted; a conflict outranks any other error of the diff). Returns rows affected. Does not change the diff status.';
