-- requires: sql/functions/bbase/raise_invalid.sql, sql/functions/zengin/hira_from_kana.sql
-- requires: sql/functions/zengin/item_changes.sql, sql/functions/zengin/item_key.sql
-- requires: sql/functions/zengin/item_record.sql, sql/functions/zengin/next_diff_ids.sql
-- requires: sql/functions/zengin/diff_status_paths.sql, sql/functions/zengin/check_mass_change.sql
-- Why: turning a staged snapshot into reviewable diff records is the heart of
-- the pipeline; doing it in one set-based statement keeps a full-master load
-- fast. Grouping: a bank's changes (the bank and its branches) always stay in
-- one diff, so a diff never depends on a sibling from the same run. When the
-- snapshot differs from the master in at most p_max_items records, there is one
-- diff per bank (a single change is a single addition/update/deletion diff);
-- above that (a full load), banks are packed into bulk_update diffs of about
-- p_max_items items. Items already in an open diff (one whose status can
-- still lead to completed: pending, approved, executing, as
-- zengin.diff_status_paths derives from the state machine) with the same
-- content are skipped, so running it twice creates
-- nothing new. A snapshot without hiragana gets it derived from the kana.
-- Two guards stand between a broken snapshot and the master. The snapshot must
-- be whole: its staged rows are counted against its header (a crash, a failed
-- or tampered staging leaves fewer rows than the header claims, and diffing
-- them would delete the rest of the master), else ZG030. And the diffs made
-- may not delete or update more than zengin.settings.mass_change_share of the
-- master unless an operator confirms it by name (zengin.check_mass_change,
-- ZG031); the diffs are built first and the whole call is undone on refusal,
-- so the usual path pays nothing for the guard.
CREATE OR REPLACE FUNCTION zengin.diff_snapshot(
    p_snapshot_id bigint,
    p_created_by text DEFAULT NULL,
    p_max_items integer DEFAULT 1000,
    p_confirm_mass_change boolean DEFAULT FALSE,
    p_confirmed_by text DEFAULT NULL
)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
SET work_mem = '64MB'
-- Every join here is set-to-set on freshly loaded tables without statistics:
-- hash joins are right whatever the estimates say (a merge join would sort).
SET enable_mergejoin = off
AS $$
DECLARE
    v_snapshot zengin.snapshots%ROWTYPE;
    v_created_by text := coalesce(nullif(pg_catalog.btrim(p_created_by), ''), session_user::text);
    v_now timestamptz := pg_catalog.clock_timestamp();
    v_count integer;
    v_deletions integer;
    v_updates integer;
    v_staged_banks integer;
    v_staged_branches integer;
BEGIN
    IF p_max_items IS NULL OR p_max_items < 1 THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_max_items', p_max_items::text, 'must be at least 1');
    END IF;
    IF p_confirm_mass_change IS NULL THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_confirm_mass_change', p_confirm_mass_change::text,
            'must be true or false');
    END IF;
    SELECT s.* INTO v_snapshot FROM zengin.snapshots AS s WHERE s.id = p_snapshot_id FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'snapshot % does not exist', p_snapshot_id
            USING ERRCODE = 'ZG015',
                  DETAIL = pg_catalog.format('snapshot_id=%s', p_snapshot_id),
                  HINT = 'Stage one with: bbase zengin stage PATH (prints the snapshot id).';
    END IF;
    -- One diff computation at a time, so "already in an open diff" is reliable.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('zengin.diff_snapshot'));
    -- Staging cannot change between the count below and the diff.
    LOCK TABLE zengin.snapshot_banks, zengin.snapshot_branches IN SHARE MODE;

    SELECT
        (SELECT pg_catalog.count(*) FROM zengin.snapshot_banks AS sb WHERE sb.snapshot_id = p_snapshot_id),
        (SELECT pg_catalog.count(*) FROM zengin.snapshot_branches AS sr WHERE sr.snapshot_id = p_snapshot_id)
    INTO v_staged_banks, v_staged_branches;
    IF v_snapshot.bank_count IS DISTINCT FROM v_staged_banks
        OR v_snapshot.branch_count IS DISTINCT FROM v_staged_branches THEN
        RAISE EXCEPTION 'snapshot % is not whole: its header counts % banks and % branches, staging holds % and %',
            p_snapshot_id, coalesce(v_snapshot.bank_count::text, 'no'),
            coalesce(v_snapshot.branch_count::text, 'no'), v_staged_banks, v_staged_branches
            USING ERRCODE = 'ZG030',
                  DETAIL = pg_catalog.format(
                      'snapshot_id=%s expected_banks=%s found_banks=%s expected_branches=%s found_branches=%s',
                      p_snapshot_id, coalesce(v_snapshot.bank_count::text, 'NULL'), v_staged_banks,
                      coalesce(v_snapshot.branch_count::text, 'NULL'), v_staged_branches),
                  HINT = 'Staged rows were lost or never completed: stage the folder again'
                      || ' (bbase zengin stage PATH) and diff the new snapshot.';
    END IF;

    -- Items are computed narrow (keys and text values); JSON is built only for
    -- the rows written, and only the narrow columns are sorted.
    WITH snap_banks AS (
        SELECT sb.bank_code, sb.name, sb.kana,
            coalesce(sb.hira, zengin.hira_from_kana(sb.kana)) AS hira, sb.roma
        FROM zengin.snapshot_banks AS sb
        WHERE sb.snapshot_id = p_snapshot_id
    ),
    items AS (
        SELECT
            'bank'::text AS target,
            coalesce(s.bank_code, b.bank_code) AS bank_code,
            NULL::text AS branch_code,
            CASE WHEN b.bank_code IS NULL THEN 'addition'
                WHEN s.bank_code IS NULL THEN 'deletion'
                ELSE 'update' END AS diff_type,
            s.bank_code IS NOT NULL AS in_snapshot,
            b.bank_code IS NOT NULL AS in_master,
            NULL::text AS s_bank_name, s.name AS s_name, s.kana AS s_kana, s.hira AS s_hira, s.roma AS s_roma,
            NULL::text AS m_bank_name, b.name AS m_name, b.kana AS m_kana, b.hira AS m_hira, b.roma AS m_roma
        FROM snap_banks AS s
        FULL JOIN zengin.banks AS b ON b.bank_code = s.bank_code
        WHERE s.bank_code IS NULL OR b.bank_code IS NULL
            OR (s.name, s.kana, s.hira, s.roma) IS DISTINCT FROM (b.name, b.kana, b.hira, b.roma)
        UNION ALL
        SELECT
            'branch'::text,
            coalesce(s.bank_code, r.bank_code),
            coalesce(s.branch_code, r.branch_code),
            CASE WHEN r.branch_code IS NULL THEN 'addition'
                WHEN s.branch_code IS NULL THEN 'deletion'
                ELSE 'update' END,
            s.branch_code IS NOT NULL,
            r.branch_code IS NOT NULL,
            sb.name, s.name, s.kana, s.hira, s.roma,
            lb.name, r.name, r.kana, r.hira, r.roma
        FROM (
            SELECT sr.bank_code, sr.branch_code, sr.name, sr.kana,
                coalesce(sr.hira, zengin.hira_from_kana(sr.kana)) AS hira, sr.roma
            FROM zengin.snapshot_branches AS sr
            WHERE sr.snapshot_id = p_snapshot_id
        ) AS s
        FULL JOIN zengin.branches AS r
            ON r.bank_code = s.bank_code AND r.branch_code = s.branch_code
        LEFT JOIN snap_banks AS sb ON sb.bank_code = s.bank_code
        LEFT JOIN zengin.banks AS lb ON lb.bank_code = r.bank_code
        WHERE s.branch_code IS NULL OR r.branch_code IS NULL
            OR (s.name, s.kana, s.hira, s.roma) IS DISTINCT FROM (r.name, r.kana, r.hira, r.roma)
    ),
    open_items AS (
        SELECT i.target, i.bank_code, coalesce(i.branch_code, '') AS branch_key, i.diff_type, i.zengin_data
        FROM zengin.diff_items AS i
        JOIN zengin.diffs AS d ON d.id = i.diff_id
        WHERE d.status IN (
            SELECT p.from_status FROM zengin.diff_status_paths() AS p WHERE p.to_status = 'completed'
        )
    ),
    new_items AS (
        -- Skip records already in an open diff with the same content; the JSON
        -- comparison runs only for key matches (join filter of the anti-join).
        SELECT a.*
        FROM items AS a
        WHERE NOT EXISTS (
            SELECT FROM open_items AS o
            WHERE o.target = a.target AND o.bank_code = a.bank_code
                AND o.branch_key = coalesce(a.branch_code, '')
                AND o.diff_type = a.diff_type
                -- IS NOT DISTINCT FROM is not hashable: the JSON stays a join filter
                -- instead of becoming a hash key computed for every item.
                AND o.zengin_data IS NOT DISTINCT FROM CASE WHEN a.in_snapshot
                    THEN zengin.item_record(a.target, a.bank_code, a.branch_code, a.s_bank_name,
                        a.s_name, a.s_kana, a.s_hira, a.s_roma)
                    ELSE zengin.item_key(a.target, a.bank_code, a.branch_code)
                    END
        )
    ),
    per_bank AS (
        SELECT
            i.bank_code,
            pg_catalog.count(*) AS n,
            pg_catalog.count(*) FILTER (WHERE i.diff_type = 'addition') AS additions,
            pg_catalog.count(*) FILTER (WHERE i.diff_type = 'update') AS updates,
            pg_catalog.count(*) FILTER (WHERE i.diff_type = 'deletion') AS deletions
        FROM new_items AS i
        GROUP BY i.bank_code
    ),
    bank_groups AS (
        SELECT
            pb.*,
            CASE WHEN pg_catalog.sum(pb.n) OVER () <= p_max_items
                THEN pg_catalog.row_number() OVER (ORDER BY pb.bank_code)
                ELSE ((pg_catalog.sum(pb.n) OVER (ORDER BY pb.bank_code) - pb.n) / p_max_items)::bigint + 1
            END AS group_no
        FROM per_bank AS pb
    ),
    bank_offsets AS (
        -- Where each bank's items start inside its group (items are numbered from 1).
        SELECT
            bg.*,
            (pg_catalog.sum(bg.n) OVER (PARTITION BY bg.group_no ORDER BY bg.bank_code) - bg.n)::integer
                AS item_offset,
            pg_catalog.dense_rank() OVER (ORDER BY bg.group_no) AS group_rank
        FROM bank_groups AS bg
    ),
    groups AS (
        SELECT
            bo.group_rank,
            pg_catalog.sum(bo.n)::integer AS group_size,
            pg_catalog.sum(bo.additions)::integer AS additions,
            pg_catalog.sum(bo.updates)::integer AS updates,
            pg_catalog.sum(bo.deletions)::integer AS deletions
        FROM bank_offsets AS bo
        GROUP BY bo.group_rank
    ),
    ids AS (
        SELECT x.id, x.ord AS group_rank
        FROM (SELECT pg_catalog.count(*)::integer AS c FROM groups) AS g
        CROSS JOIN LATERAL zengin.next_diff_ids(g.c) WITH ORDINALITY AS x (id, ord)
        WHERE g.c > 0
    ),
    payload AS (
        SELECT
            ids.id AS diff_id,
            bo.item_offset + pg_catalog.row_number() OVER (
                PARTITION BY i.bank_code ORDER BY i.target, i.branch_code)::integer AS item_no,
            g.group_size,
            i.diff_type,
            i.target,
            i.bank_code,
            i.branch_code,
            CASE WHEN i.in_snapshot
                THEN zengin.item_record(i.target, i.bank_code, i.branch_code, i.s_bank_name,
                    i.s_name, i.s_kana, i.s_hira, i.s_roma)
                ELSE zengin.item_key(i.target, i.bank_code, i.branch_code)
            END AS zengin_data,
            CASE WHEN i.in_master
                THEN zengin.item_record(i.target, i.bank_code, i.branch_code, i.m_bank_name,
                    i.m_name, i.m_kana, i.m_hira, i.m_roma)
            END AS current_data,
            CASE WHEN i.in_snapshot AND i.in_master
                THEN zengin.item_changes(i.target, i.m_name, i.s_name, i.m_kana, i.s_kana,
                    i.m_hira, i.s_hira, i.m_roma, i.s_roma)
            END AS changes
        FROM new_items AS i
        JOIN bank_offsets AS bo ON bo.bank_code = i.bank_code
        JOIN groups AS g ON g.group_rank = bo.group_rank
        JOIN ids ON ids.group_rank = bo.group_rank
    ),
    new_diffs AS (
        INSERT INTO zengin.diffs (
            id, timestamp, status, diff_type, target, zengin_data, current_data, changes,
            created_by, metadata, ttl, data_summary, snapshot_id
        )
        SELECT
            ids.id,
            v_now,
            'pending',
            CASE WHEN g.group_size = 1 THEN one.diff_type ELSE 'bulk_update' END,
            CASE WHEN g.group_size = 1 THEN one.target END,
            CASE WHEN g.group_size = 1 THEN one.zengin_data END,
            CASE WHEN g.group_size = 1 THEN one.current_data END,
            CASE WHEN g.group_size = 1 THEN one.changes END,
            v_created_by,
            pg_catalog.jsonb_build_object(
                'source', v_snapshot.source, 'sourceVersion', v_snapshot.source_version,
                'snapshotId', v_snapshot.id, 'processingNode', 'postgresql'),
            pg_catalog.floor(pg_catalog.date_part('epoch', v_now + interval '90 days'))::bigint,
            CASE WHEN g.group_size > 1 THEN pg_catalog.jsonb_build_object(
                'totalRecords', g.group_size, 'additions', g.additions,
                'updates', g.updates, 'deletions', g.deletions) END,
            v_snapshot.id
        FROM groups AS g
        JOIN ids ON ids.group_rank = g.group_rank
        LEFT JOIN payload AS one ON one.diff_id = ids.id AND one.group_size = 1
        RETURNING id
    ),
    new_diff_items AS (
        INSERT INTO zengin.diff_items (
            diff_id, item_no, diff_type, target, bank_code, branch_code, zengin_data, current_data, changes
        )
        SELECT p.diff_id, p.item_no, p.diff_type, p.target, p.bank_code, p.branch_code,
            p.zengin_data, p.current_data, p.changes
        FROM payload AS p
        RETURNING diff_type
    )
    SELECT (SELECT pg_catalog.count(*) FROM new_diffs)::integer,
        (SELECT pg_catalog.count(*) FILTER (WHERE n.diff_type = 'deletion') FROM new_diff_items AS n)::integer,
        (SELECT pg_catalog.count(*) FILTER (WHERE n.diff_type = 'update') FROM new_diff_items AS n)::integer
    INTO v_count, v_deletions, v_updates;

    -- Refuses (undoing the diffs just made) or records the confirmation.
    PERFORM zengin.check_mass_change(p_snapshot_id, v_deletions, v_updates,
        p_confirm_mass_change, p_confirmed_by);

    RETURN v_count;
END
$$;

COMMENT ON FUNCTION zengin.diff_snapshot(bigint, text, integer, boolean, text) IS
'Compare staged snapshot p_snapshot_id with the live master (set-based) and create pending diffs: additions, updates (changes {field: {old, new}}) and deletions of banks and branches. A bank and its branches stay in one diff; one diff per bank when at most p_max_items records differ (a single change is a single diff), else bulk_update diffs of about p_max_items items (data_summary). Records already in an open diff with the same content are skipped, so a second run creates nothing. created_by is p_created_by or the session user. Returns the number of diffs created; ZG015 when the snapshot does not exist; ZG030 when its staged rows do not match its header counts (lost in staging: stage again); ZG031 when the diffs would delete or update more than zengin.settings.mass_change_share of the master (default 5 %; additions do not count) and p_confirm_mass_change is not true with a p_confirmed_by name (the confirmation is recorded on the snapshot, see zengin.check_mass_change).';

-- Operators diff snapshots; the sync role does not (docs/sync.md).
GRANT EXECUTE ON FUNCTION zengin.diff_snapshot(bigint, text, integer, boolean, text) TO bbase_operator;
