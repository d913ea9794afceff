-- Why: a diff is made against the master as it was; executing it over a master
-- that changed since would silently overwrite someone's edit. One definition of
-- "the live row no longer matches" serves zengin.apply_diff before it applies
-- updates and deletions and after an addition fails on an existing row. Each
-- item probes the master by primary key (LATERAL … LIMIT 1 is never flattened
-- into a hash join), so the check costs the diff's size, not the master's: a
-- hash join read the whole branches table for every diff of a full load.
CREATE OR REPLACE FUNCTION zengin.find_diff_conflicts(p_diff_id text, p_with_additions boolean)
RETURNS text[]
LANGUAGE plpgsql
-- plpgsql, not sql: its plan is cached for the session, where a sql function
-- is planned again on every call (each diff executed calls it).
STABLE
SET search_path = ''
AS $$
BEGIN
    RETURN (SELECT pg_catalog.array_agg(c.record_key || ' (' || i.diff_type || ')' ORDER BY c.record_key)
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
    WHERE i.diff_id = p_diff_id
        AND (p_with_additions OR i.diff_type <> 'addition')
        AND c.conflict);
END
$$;

COMMENT ON FUNCTION zengin.find_diff_conflicts(text, boolean) IS
'Internal (zengin.apply_diff): the items of diff p_diff_id that conflict with the live master, as ''record_key (diff_type)'' sorted by key, or NULL when none does. An addition conflicts when its row exists; an update or deletion when its row is missing or differs from current_data (name, kana; hira and roma when current_data carries them). Additions are checked only when p_with_additions.';
