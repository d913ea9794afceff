-- requires: sql/functions/bbase/raise_invalid.sql, sql/functions/zengin/is_unrelated_name.sql
-- Why: reviewers decide on what a diff really does; this is the one place that
-- says which diffs are in a status (with their real status), what each item
-- changes, and which items reuse a code for something unrelated, so the review
-- report (bbase zengin report) only lays these rows out and psql users get the
-- same answer. The flag is computed over every diff in the status, whatever
-- bank is asked for: the two halves of a reuse share the bank code anyway.
CREATE OR REPLACE FUNCTION zengin.review_items(
    p_status text DEFAULT 'pending',
    p_bank_code text DEFAULT NULL
)
RETURNS TABLE (
    diff_id text,
    status text,
    diff_type text,
    created_at timestamptz,
    created_by text,
    decided_by text,
    reject_reason text,
    item_no integer,
    item_type text,
    target text,
    bank_code text,
    branch_code text,
    bank_name text,
    current_data jsonb,
    zengin_data jsonb,
    changes jsonb,
    code_reused boolean,
    code_reuse_note text
)
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    IF p_status IS NULL OR NOT EXISTS (SELECT FROM zengin.diff_statuses AS ds WHERE ds.status = p_status) THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_status', p_status, 'not a status of zengin.diff_statuses',
            (SELECT 'Use one of: ' || pg_catalog.string_agg(ds.status, ', ' ORDER BY ds.status)
                FROM zengin.diff_statuses AS ds));
    END IF;
    IF p_bank_code IS NOT NULL AND p_bank_code !~ '^[0-9]{4}$' THEN
        PERFORM bbase.raise_invalid('ZG001', 'p_bank_code', p_bank_code, 'exactly 4 ASCII digits');
    END IF;

    RETURN QUERY
    WITH set_items AS (
        SELECT
            d.id AS s_diff_id, d.status AS s_status, d.diff_type AS s_diff_type,
            d.timestamp AS s_created_at, d.created_by AS s_created_by,
            coalesce(d.approved_by, d.rejected_by) AS s_decided_by, d.reject_reason AS s_reject_reason,
            i.item_no AS s_item_no, i.diff_type AS s_item_type, i.target AS s_target,
            i.bank_code::text AS s_bank_code, i.branch_code::text AS s_branch_code,
            i.current_data AS s_current, i.zengin_data AS s_zengin, i.changes AS s_changes,
            coalesce(i.current_data, i.zengin_data) ->> (i.target || 'Name') AS s_name
        FROM zengin.diffs AS d
        JOIN zengin.diff_items AS i ON i.diff_id = d.id
        WHERE d.status = p_status
    ),
    reused_keys AS (
        -- A deletion and a later (or same-time) addition of the same code in
        -- the set: the code leaves one bank/branch and comes back for another.
        -- An addition followed by a deletion is a short life, not a reuse.
        SELECT
            s.s_target AS k_target, s.s_bank_code AS k_bank_code,
            coalesce(s.s_branch_code, '') AS k_branch_key,
            pg_catalog.min(s.s_created_at) FILTER (WHERE s.s_item_type = 'deletion') AS deleted_at,
            (pg_catalog.array_agg(s.s_diff_id ORDER BY s.s_created_at, s.s_diff_id)
                FILTER (WHERE s.s_item_type = 'deletion'))[1] AS deleted_in,
            (pg_catalog.array_agg(s.s_name ORDER BY s.s_created_at, s.s_diff_id)
                FILTER (WHERE s.s_item_type = 'deletion'))[1] AS deleted_name,
            pg_catalog.max(s.s_created_at) FILTER (WHERE s.s_item_type = 'addition') AS added_at,
            (pg_catalog.array_agg(s.s_diff_id ORDER BY s.s_created_at DESC, s.s_diff_id DESC)
                FILTER (WHERE s.s_item_type = 'addition'))[1] AS added_in,
            (pg_catalog.array_agg(s.s_name ORDER BY s.s_created_at DESC, s.s_diff_id DESC)
                FILTER (WHERE s.s_item_type = 'addition'))[1] AS added_name
        FROM set_items AS s
        WHERE s.s_item_type IN ('addition', 'deletion')
        GROUP BY 1, 2, 3
        HAVING pg_catalog.min(s.s_created_at) FILTER (WHERE s.s_item_type = 'deletion')
            <= pg_catalog.max(s.s_created_at) FILTER (WHERE s.s_item_type = 'addition')
    ),
    flagged AS (
        SELECT
            s.*,
            CASE
                WHEN (s.s_item_type = 'deletion' AND s.s_created_at <= r.added_at)
                    OR (s.s_item_type = 'addition' AND s.s_created_at >= r.deleted_at)
                    THEN pg_catalog.format(
                    'code %s is deleted (%s, in %s) and added again for %s (in %s)',
                    s.s_bank_code || coalesce('-' || s.s_branch_code, ''),
                    r.deleted_name, r.deleted_in, r.added_name, r.added_in)
                WHEN s.s_item_type = 'update' AND zengin.is_unrelated_name(
                    s.s_current ->> (s.s_target || 'Name'), s.s_zengin ->> (s.s_target || 'Name'),
                    s.s_current ->> (s.s_target || 'Kana'), s.s_zengin ->> (s.s_target || 'Kana'))
                    THEN pg_catalog.format(
                        'code %s changes its name to an unrelated one: %s (%s) becomes %s (%s)',
                        s.s_bank_code || coalesce('-' || s.s_branch_code, ''),
                        s.s_current ->> (s.s_target || 'Name'), s.s_current ->> (s.s_target || 'Kana'),
                        s.s_zengin ->> (s.s_target || 'Name'), s.s_zengin ->> (s.s_target || 'Kana'))
            END AS s_note
        FROM set_items AS s
        LEFT JOIN reused_keys AS r
            ON r.k_target = s.s_target AND r.k_bank_code = s.s_bank_code
                AND r.k_branch_key = coalesce(s.s_branch_code, '')
    )
    SELECT
        f.s_diff_id, f.s_status, f.s_diff_type, f.s_created_at, f.s_created_by,
        f.s_decided_by, f.s_reject_reason,
        f.s_item_no, f.s_item_type, f.s_target, f.s_bank_code, f.s_branch_code,
        coalesce(f.s_zengin ->> 'bankName', f.s_current ->> 'bankName', b.name::text),
        f.s_current, f.s_zengin, f.s_changes,
        f.s_note IS NOT NULL, f.s_note
    FROM flagged AS f
    LEFT JOIN zengin.banks AS b ON b.bank_code = f.s_bank_code
    WHERE p_bank_code IS NULL OR f.s_bank_code = p_bank_code
    ORDER BY f.s_created_at, f.s_diff_id, f.s_item_no;
END
$$;

COMMENT ON FUNCTION zengin.review_items(text, text) IS
'What a reviewer needs to decide: one row per item of every diff whose status is p_status (default pending: the diffs really waiting), optionally only items of bank p_bank_code, in diff order (timestamp, id, item_no). Each row carries the diff''s real status, who decided it and why (rejections), the item''s kind, codes, bank name, currentData/zenginData/changes, and code_reused with a sentence in code_reuse_note when the code is reused for something unrelated. The rule: (1) the set of all diffs in p_status holds a deletion and an addition of the same bank or bank+branch code, the deletion''s diff created no later than the addition''s (both items are flagged, whatever their names; an addition followed by a deletion is not a reuse), or (2) an update''s name changes to an unrelated one by zengin.is_unrelated_name (the reading changes and the names share no character, generic words such as 支店 aside). Raises ZG017 for a p_status that is not in zengin.diff_statuses and ZG001 for a p_bank_code that is not 4 ASCII digits.';

GRANT EXECUTE ON FUNCTION zengin.review_items(text, text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
