-- requires: sql/functions/zengin_sync/apply_record.sql, sql/functions/zengin_sync/check_record.sql
-- requires: sql/functions/zengin_sync/observed_fields.sql, sql/functions/zengin_sync/check_item_size.sql
-- requires: sql/functions/bbase/abbreviate_value.sql
-- requires: sql/functions/zengin/diff_status_stages.sql
-- Why: the merge step of a sync run (docs/sync.md). Staged records are validated and merged one by
-- one: unchanged records are skipped, malformed ones and ones the state
-- machine refuses go to the quarantine with their reason, the rest take
-- effect. One bad record never stops the others: whatever a record makes
-- fail (the glue's conversion error, a check, a limit, a constraint) is its
-- quarantine reason; only a fault of the run itself (SQLSTATE classes other
-- than ZG, ZS, 22, 23, 54, P0) stops the merge. A record whose item leaves
-- no room for the write-back (zengin_sync.check_item_size) is refused before
-- it is applied.
CREATE OR REPLACE FUNCTION zengin_sync.merge_staged(p_run_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_rec record;
    v_reason text;
    v_state text;
    v_changed boolean;
    v_malformed boolean;
    v_n integer;
    v_pulled integer;
    v_merged integer := 0;
    v_observed integer := 0;
    v_unchanged integer := 0;
    v_quarantined integer := 0;
BEGIN
    SELECT count(*) INTO v_pulled FROM zengin_sync.staged_records AS s WHERE s.run_id = p_run_id;

    FOR v_rec IN
        WITH stages AS (
            SELECT g.status, g.stage FROM zengin.diff_status_stages() AS g
        ),
        latest AS (
            -- A record can be pulled twice when its status changed mid-pull:
            -- keep the one furthest along the state machine (an unknown
            -- status counts as furthest; it is quarantined anyway).
            SELECT DISTINCT ON (coalesce(s.diff_id, '#' || s.seq))
                s.diff_id, s.item, s.plain, s.body, s.body_error, s.item_error,
                CASE
                    WHEN pg_catalog.jsonb_typeof(s.body) = 'object' THEN s.body || s.plain
                    ELSE s.plain
                END AS record,
                pg_catalog.md5(s.plain::text || coalesce(s.body_error, '') || coalesce(s.item_error, '')) AS fingerprint
            FROM zengin_sync.staged_records AS s
            LEFT JOIN stages AS g ON g.status = s.plain ->> 'status'
            WHERE s.run_id = p_run_id
            ORDER BY coalesce(s.diff_id, '#' || s.seq),
                coalesce(g.stage, (SELECT max(m.stage) FROM stages AS m)) DESC,
                s.seq DESC
        )
        SELECT l.*, r.fingerprint AS known_fingerprint
        FROM latest AS l
        LEFT JOIN zengin_sync.remote_records AS r ON r.diff_id = l.diff_id
        ORDER BY l.diff_id
    LOOP
        IF v_rec.known_fingerprint IS NOT DISTINCT FROM v_rec.fingerprint THEN
            v_unchanged := v_unchanged + 1;
            CONTINUE;
        END IF;

        v_state := NULL;
        v_reason := NULL;
        v_malformed := true;
        BEGIN
            v_reason := CASE
                WHEN v_rec.item_error IS NOT NULL THEN v_rec.item_error
                WHEN v_rec.body_error IS NOT NULL THEN 'S3 body: ' || v_rec.body_error
                WHEN v_rec.body IS NOT NULL AND pg_catalog.jsonb_typeof(v_rec.body) <> 'object'
                    THEN 'S3 body: not a JSON object'
                WHEN v_rec.body IS NOT NULL AND (v_rec.body ->> 'id') IS DISTINCT FROM v_rec.diff_id
                    THEN pg_catalog.format('S3 body: belongs to diff %L, not %L',
                        bbase.abbreviate_value(v_rec.body ->> 'id'), bbase.abbreviate_value(v_rec.diff_id))
                ELSE coalesce(zengin_sync.check_record(v_rec.record), zengin_sync.check_item_size(v_rec.item))
            END;
            IF v_reason IS NULL THEN
                v_malformed := false;
                v_changed := zengin_sync.apply_record(v_rec.record);
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_reason = MESSAGE_TEXT;
            -- A fault of the record (bad data, a rule, a limit) is quarantined;
            -- a fault of the run (lock, resources, a missing object or grant) stops it.
            IF pg_catalog.left(v_state, 2) NOT IN ('ZG', 'ZS', '22', '23', '54', 'P0') THEN
                RAISE;
            END IF;
            v_reason := bbase.abbreviate_value(v_reason);
        END;

        IF v_reason IS NOT NULL THEN
            INSERT INTO zengin_sync.quarantine (diff_id, item, reason, sqlstate, fingerprint, run_id)
            VALUES (pg_catalog.left(v_rec.diff_id, 100), v_rec.item, v_reason, v_state, v_rec.fingerprint, p_run_id)
            ON CONFLICT (fingerprint) DO NOTHING;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            v_quarantined := v_quarantined + v_n;
            IF v_malformed THEN
                CONTINUE;  -- malformed: nothing about it is trusted
            END IF;
        ELSE
            UPDATE zengin_sync.quarantine SET resolved_at = now()
            WHERE diff_id = v_rec.diff_id AND resolved_at IS NULL;
            IF v_changed THEN
                v_merged := v_merged + 1;
            ELSE
                v_observed := v_observed + 1;
            END IF;
        END IF;

        -- Well-formed (even when refused by the state machine): remember what
        -- DynamoDB says, so the write-back is conditional on it.
        INSERT INTO zengin_sync.remote_records AS r (
            diff_id, remote_timestamp, remote_status, observed, fingerprint
        ) VALUES (
            v_rec.diff_id, v_rec.plain ->> 'timestamp', v_rec.plain ->> 'status',
            zengin_sync.observed_fields(v_rec.plain), v_rec.fingerprint
        )
        ON CONFLICT (diff_id) DO UPDATE SET
            remote_timestamp = excluded.remote_timestamp,
            remote_status = excluded.remote_status,
            observed = excluded.observed,
            fingerprint = excluded.fingerprint,
            gone_at = NULL,
            updated_at = now();
    END LOOP;

    -- Keep PostgreSQL's own diff id counters past ids adopted from DynamoDB
    -- (once per day here: bumping one row per record would be quadratic).
    INSERT INTO zengin.diff_day_counters AS c (day, last_no)
    SELECT pg_catalog.to_date(pg_catalog.substr(s.diff_id, 6, 8), 'YYYYMMDD'),
        max(pg_catalog.substr(s.diff_id, 15)::integer)
    FROM zengin_sync.staged_records AS s
    JOIN zengin.diffs AS d ON d.id = s.diff_id
    WHERE s.run_id = p_run_id
    GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET last_no = excluded.last_no
    WHERE c.last_no < excluded.last_no;

    RETURN pg_catalog.jsonb_build_object(
        'pulled', v_pulled, 'merged', v_merged, 'observed', v_observed,
        'unchanged', v_unchanged, 'quarantined', v_quarantined);
END
$$;

COMMENT ON FUNCTION zengin_sync.merge_staged(bigint) IS
'Validate and merge the records staged by run p_run_id into zengin.diffs (zengin_sync.check_record, zengin_sync.apply_record); malformed or refused records go to zengin_sync.quarantine with their reason. Returns counts {pulled, merged, observed, unchanged, quarantined}.';
GRANT EXECUTE ON FUNCTION zengin_sync.merge_staged(bigint) TO bbase_sync;
