-- Why: turning a staged snapshot into reviewable diff records is the heart of
-- the pipeline; doing it in one set-based statement keeps a full-master load
-- fast. Grouping: a bank's changes (the bank and its branches) always stay in
-- one diff, so a diff never depends on a sibling from the same run. When the
-- snapshot differs from the master in at most p_max_items records, there is one
-- diff per bank (a single change is a single addition/update/deletion diff);
-- above that (a full load), banks are packed into bulk_update diffs of about
-- p_max_items items. Items already in an open diff (pending, approved,
-- executing) with the same content are skipped, so running it twice creates
-- nothing new. A snapshot without hiragana gets it derived from the kana.
CREATE OR REPLACE FUNCTION zengin.diff_snapshot(
    p_snapshot_id bigint,
    p_created_by text DEFAULT NULL,
    p_max_items integer DEFAULT 1000
)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
SET work_mem = '64MB'
AS $$
DECLARE
    v_snapshot zengin.snapshots%ROWTYPE;
    v_created_by text := coalesce(nullif(pg_catalog.btrim(p_created_by), ''), session_user::text);
    v_now timestamptz := pg_catalog.clock_timestamp();
    v_count integer;
BEGIN
    IF p_max_items IS NULL OR p_max_items < 1 THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_max_items', p_max_items::text, 'must be at least 1');
    END IF;
    SELECT s.* INTO v_snapshot FROM zengin.snapshots AS s WHERE s.id = p_snapshot_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'snapshot % does not exist', p_snapshot_id
            USING ERRCODE = 'ZG015',
                  DETAIL = pg_catalog.format('snapshot_id=%s', p_snapshot_id),
                  HINT = 'Stage one with: bbase zengin stage PATH (prints the snapshot id).';
    END IF;
    -- One diff computation at a time, so "already in an open diff" is reliable.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('zengin.diff_snapshot'));

    WITH snap_banks AS (
        SELECT sb.bank_code, sb.name, sb.kana,
            coalesce(sb.hira, zengin.hira_from_kana(sb.kana)) AS hira, sb.roma
        FROM zengin.snapshot_banks AS sb
        WHERE sb.snapshot_id = p_snapshot_id
    ),
    snap_branches AS (
        SELECT sr.bank_code, sr.branch_code, sr.name, sr.kana,
            coalesce(sr.hira, zengin.hira_from_kana(sr.kana)) AS hira, sr.roma
        FROM zengin.snapshot_branches AS sr
        WHERE sr.snapshot_id = p_snapshot_id
    ),
    bank_items AS (
        SELECT
            'bank'::text AS target,
            coalesce(s.bank_code, b.bank_code) AS bank_code,
            NULL::text AS branch_code,
            CASE WHEN b.bank_code IS NULL THEN 'addition'
                WHEN s.bank_code IS NULL THEN 'deletion'
                ELSE 'update' END AS diff_type,
            CASE WHEN s.bank_code IS NULL
                THEN pg_catalog.jsonb_build_object('bankCode', b.bank_code)
                ELSE pg_catalog.jsonb_build_object(
                    'bankCode', s.bank_code, 'bankName', s.name, 'bankKana', s.kana,
                    'bankHira', s.hira, 'bankRoma', s.roma)
            END AS zengin_data,
            CASE WHEN b.bank_code IS NOT NULL
                THEN pg_catalog.jsonb_build_object(
                    'bankCode', b.bank_code, 'bankName', b.name, 'bankKana', b.kana,
                    'bankHira', b.hira, 'bankRoma', b.roma)
            END AS current_data,
            CASE WHEN s.bank_code IS NOT NULL AND b.bank_code IS NOT NULL THEN (
                SELECT pg_catalog.jsonb_object_agg(f.field, pg_catalog.jsonb_build_object('old', f.old, 'new', f.new))
                FROM (VALUES ('bankName', b.name, s.name), ('bankKana', b.kana, s.kana),
                    ('bankHira', b.hira, s.hira), ('bankRoma', b.roma, s.roma)) AS f (field, old, new)
                WHERE f.old IS DISTINCT FROM f.new
            ) END AS changes
        FROM snap_banks AS s
        FULL JOIN zengin.banks AS b ON b.bank_code = s.bank_code
        WHERE s.bank_code IS NULL OR b.bank_code IS NULL
            OR (s.name, s.kana, s.hira, s.roma) IS DISTINCT FROM (b.name, b.kana, b.hira, b.roma)
    ),
    branch_items AS (
        SELECT
            'branch'::text AS target,
            coalesce(s.bank_code, r.bank_code) AS bank_code,
            coalesce(s.branch_code, r.branch_code) AS branch_code,
            CASE WHEN r.branch_code IS NULL THEN 'addition'
                WHEN s.branch_code IS NULL THEN 'deletion'
                ELSE 'update' END AS diff_type,
            CASE WHEN s.branch_code IS NULL
                THEN pg_catalog.jsonb_build_object('bankCode', r.bank_code, 'branchCode', r.branch_code)
                ELSE pg_catalog.jsonb_build_object(
                    'bankCode', s.bank_code, 'bankName', sb.name,
                    'branchCode', s.branch_code, 'branchName', s.name, 'branchKana', s.kana,
                    'branchHira', s.hira, 'branchRoma', s.roma)
            END AS zengin_data,
            CASE WHEN r.branch_code IS NOT NULL
                THEN pg_catalog.jsonb_build_object(
                    'bankCode', r.bank_code, 'bankName', lb.name,
                    'branchCode', r.branch_code, 'branchName', r.name, 'branchKana', r.kana,
                    'branchHira', r.hira, 'branchRoma', r.roma)
            END AS current_data,
            CASE WHEN s.branch_code IS NOT NULL AND r.branch_code IS NOT NULL THEN (
                SELECT pg_catalog.jsonb_object_agg(f.field, pg_catalog.jsonb_build_object('old', f.old, 'new', f.new))
                FROM (VALUES ('branchName', r.name, s.name), ('branchKana', r.kana, s.kana),
                    ('branchHira', r.hira, s.hira), ('branchRoma', r.roma, s.roma)) AS f (field, old, new)
                WHERE f.old IS DISTINCT FROM f.new
            ) END AS changes
        FROM snap_branches AS s
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
        WHERE d.status IN ('pending', 'approved', 'executing')
    ),
    items AS (
        SELECT a.*
        FROM (SELECT * FROM bank_items UNION ALL SELECT * FROM branch_items) AS a
        WHERE NOT EXISTS (
            SELECT FROM open_items AS o
            WHERE o.target = a.target AND o.bank_code = a.bank_code
                AND o.branch_key = coalesce(a.branch_code, '')
                AND o.diff_type = a.diff_type AND o.zengin_data = a.zengin_data
        )
    ),
    per_bank AS (
        SELECT
            i.bank_code,
            pg_catalog.count(*) AS n,
            pg_catalog.sum(pg_catalog.count(*)) OVER (ORDER BY i.bank_code) AS running,
            pg_catalog.sum(pg_catalog.count(*)) OVER () AS total
        FROM items AS i
        GROUP BY i.bank_code
    ),
    grouped AS (
        SELECT
            i.*,
            CASE WHEN pb.total <= p_max_items
                THEN pg_catalog.dense_rank() OVER (ORDER BY i.bank_code)
                ELSE ((pb.running - pb.n) / p_max_items)::bigint + 1
            END AS group_no
        FROM items AS i
        JOIN per_bank AS pb ON pb.bank_code = i.bank_code
    ),
    numbered AS (
        SELECT
            g.*,
            pg_catalog.row_number() OVER (
                PARTITION BY g.group_no
                ORDER BY g.bank_code, g.target, g.branch_code
            )::integer AS item_no,
            pg_catalog.count(*) OVER (PARTITION BY g.group_no) AS group_size,
            pg_catalog.dense_rank() OVER (ORDER BY g.group_no) AS group_rank
        FROM grouped AS g
    ),
    groups AS (
        SELECT
            n.group_rank,
            pg_catalog.max(n.group_size) AS group_size,
            pg_catalog.count(*) FILTER (WHERE n.diff_type = 'addition') AS additions,
            pg_catalog.count(*) FILTER (WHERE n.diff_type = 'update') AS updates,
            pg_catalog.count(*) FILTER (WHERE n.diff_type = 'deletion') AS deletions
        FROM numbered AS n
        GROUP BY n.group_rank
    ),
    ids AS (
        SELECT x.id, x.ord AS group_rank
        FROM (SELECT pg_catalog.count(*)::integer AS c FROM groups) AS g
        CROSS JOIN LATERAL zengin.next_diff_ids(g.c) WITH ORDINALITY AS x (id, ord)
        WHERE g.c > 0
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
        LEFT JOIN numbered AS one ON one.group_rank = g.group_rank AND g.group_size = 1
        RETURNING id
    ),
    new_items AS (
        INSERT INTO zengin.diff_items (
            diff_id, item_no, diff_type, target, bank_code, branch_code, zengin_data, current_data, changes
        )
        SELECT ids.id, n.item_no, n.diff_type, n.target, n.bank_code, n.branch_code,
            n.zengin_data, n.current_data, n.changes
        FROM numbered AS n
        JOIN ids ON ids.group_rank = n.group_rank
        RETURNING 1
    )
    SELECT (SELECT pg_catalog.count(*) FROM new_diffs)::integer
        + 0 * (SELECT pg_catalog.count(*) FROM new_items)::integer
    INTO v_count;

    RETURN v_count;
END
$$;

COMMENT ON FUNCTION zengin.diff_snapshot(bigint, text, integer) IS
'Compare staged snapshot p_snapshot_id with the live master (set-based) and create pending diffs: additions, updates (changes {field: {old, new}}) and deletions of banks and branches. A bank and its branches stay in one diff; one diff per bank when at most p_max_items records differ (a single change is a single diff), else bulk_update diffs of about p_max_items items (data_summary). Records already in an open diff with the same content are skipped, so a second run creates nothing. created_by is p_created_by or the session user. Returns the number of diffs created; ZG015 when the snapshot does not exist.';

GRANT EXECUTE ON FUNCTION zengin.diff_snapshot(bigint, text, integer) TO bbase_sync, bbase_operator;
