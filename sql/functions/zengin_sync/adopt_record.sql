-- requires: sql/functions/zengin_sync/complete_names.sql, sql/functions/zengin/normalize_identity.sql
-- Why: a well-formed record first seen in DynamoDB (made there, not by
-- bbase publish) becomes a pending diff in PostgreSQL with the same id, so
-- reviewers' decisions on it can then take effect through the state machine.
-- The inserting login (the sync's) is recorded as created_session_user by
-- trigger tg_diffs__set_defaults, so that login cannot also approve it.
CREATE OR REPLACE FUNCTION zengin_sync.adopt_record(p_record jsonb)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id text := p_record ->> 'id';
    v_bulk boolean := (p_record ->> 'diffType') = 'bulk_update';
    v_target text;
    v_data jsonb := coalesce(p_record -> 'zenginData', p_record -> 'currentData');
BEGIN
    IF NOT v_bulk THEN
        v_target := coalesce(p_record ->> 'target',
            CASE WHEN coalesce(v_data ->> 'branchCode', '') <> '' THEN 'branch' ELSE 'bank' END);
    END IF;
    INSERT INTO zengin.diffs (
        id, timestamp, status, diff_type, target, zengin_data, current_data, changes,
        created_by, metadata, ttl, data_location, data_size, data_summary
    ) VALUES (
        v_id,
        (p_record ->> 'timestamp')::timestamptz,
        'pending',
        p_record ->> 'diffType',
        v_target,
        CASE WHEN NOT v_bulk THEN zengin_sync.complete_names(nullif(p_record -> 'zenginData', 'null'::jsonb)) END,
        CASE WHEN NOT v_bulk THEN nullif(p_record -> 'currentData', 'null'::jsonb) END,
        nullif(p_record -> 'changes', 'null'::jsonb),
        coalesce(nullif(zengin.normalize_identity(p_record ->> 'createdBy'), ''), 'dynamodb'),
        coalesce(nullif(p_record -> 'metadata', 'null'::jsonb), '{}'::jsonb)
        || pg_catalog.jsonb_build_object('adoptedFrom', 'dynamodb'),
        (p_record ->> 'ttl')::numeric::bigint,
        p_record ->> 'dataLocation',
        (p_record ->> 'dataSize')::numeric::bigint,
        nullif(p_record -> 'dataSummary', 'null'::jsonb)
    );

    INSERT INTO zengin.diff_items (
        diff_id, item_no, diff_type, target, bank_code, branch_code, zengin_data, current_data, changes
    )
    SELECT
        v_id,
        i.ord::integer,
        i.item ->> 'diffType',
        coalesce(i.item ->> 'target',
            CASE WHEN coalesce(coalesce(i.item -> 'zenginData', i.item -> 'currentData') ->> 'branchCode', '') <> ''
                THEN 'branch' ELSE 'bank' END),
        coalesce(i.item -> 'zenginData', i.item -> 'currentData') ->> 'bankCode',
        nullif(coalesce(i.item -> 'zenginData', i.item -> 'currentData') ->> 'branchCode', ''),
        zengin_sync.complete_names(nullif(i.item -> 'zenginData', 'null'::jsonb)),
        nullif(i.item -> 'currentData', 'null'::jsonb),
        nullif(i.item -> 'changes', 'null'::jsonb)
    FROM pg_catalog.jsonb_array_elements(
        CASE
            WHEN v_bulk THEN p_record -> 'items'
            ELSE pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'diffType', p_record -> 'diffType', 'target', v_target,
                'zenginData', p_record -> 'zenginData', 'currentData', p_record -> 'currentData',
                'changes', p_record -> 'changes'))
        END
    ) WITH ORDINALITY AS i (item, ord);

END
$$;

COMMENT ON FUNCTION zengin_sync.adopt_record(jsonb) IS
'Insert a well-formed DynamoDB record unknown to PostgreSQL as a pending zengin.diffs row with its zengin.diff_items (target derived from branchCode when absent, hiragana derived from katakana). zengin_sync.merge_staged then keeps the day''s diff id counters past adopted ids.';
