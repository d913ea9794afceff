-- requires: sql/functions/zengin_sync/adopt_record.sql
-- requires: sql/functions/zengin/approve_diff.sql, sql/functions/zengin/reject_diff.sql
-- requires: sql/functions/zengin/diff_status_paths.sql
-- Why: a reviewer's decision made in DynamoDB must take effect in PostgreSQL
-- through the same functions and state machine as one made in psql. When
-- PostgreSQL is ahead (executed, expired, …) it wins and the write-back
-- corrects DynamoDB; an impossible decision raises the state machine's error.
-- Which statuses may be adopted (zengin.diff_statuses.sync_may_adopt) and
-- which lie beyond approval (zengin.diff_status_paths) come from the state
-- machine's tables, not from a list here.
-- Four eyes: the trigger on zengin.diffs refuses an approval from the login
-- that created the diff (ZG021). A record the sync itself adopts from
-- DynamoDB was created by the sync's login, so an approval arriving with it
-- is not relayed: the diff stays pending for a reviewer's own login, and the
-- write-back sets the DynamoDB record back to pending. (An approval of an
-- adopted diff arriving in a later run reaches the trigger and is
-- quarantined with ZG021.) Otherwise one compromised sync login could
-- invent a diff and its approval.
CREATE OR REPLACE FUNCTION zengin_sync.apply_record(p_record jsonb)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id text := p_record ->> 'id';
    v_remote text := p_record ->> 'status';
    v_local text;
    v_changed boolean := false;
    v_adoptable text;
    v_adopted boolean := false;
BEGIN
    SELECT d.status INTO v_local FROM zengin.diffs AS d WHERE d.id = v_id FOR UPDATE;
    IF NOT FOUND THEN
        IF NOT EXISTS (
            SELECT FROM zengin.diff_statuses AS s WHERE s.status = v_remote AND s.sync_may_adopt
        ) THEN
            SELECT pg_catalog.string_agg(s.status, ', ' ORDER BY s.status) INTO v_adoptable
            FROM zengin.diff_statuses AS s
            WHERE s.sync_may_adopt;
            RAISE EXCEPTION 'diff % is unknown to PostgreSQL and already % in DynamoDB', v_id, v_remote
                USING ERRCODE = 'ZS010',
                      DETAIL = pg_catalog.format('id=%s status=%s', v_id, v_remote),
                      HINT = pg_catalog.format('Only records in status %s can be taken over '
                          '(zengin.diff_statuses.sync_may_adopt); create the diff in PostgreSQL instead.',
                          v_adoptable);
        END IF;
        PERFORM zengin_sync.adopt_record(p_record);
        v_local := 'pending';
        v_changed := true;
        v_adopted := true;
    END IF;

    IF v_remote = v_local THEN
        RETURN v_changed;
    END IF;
    IF v_remote = 'approved' AND NOT v_adopted AND NOT EXISTS (
        SELECT FROM zengin.diff_status_paths() AS p WHERE p.from_status = 'approved' AND p.to_status = v_local
    ) THEN
        PERFORM zengin.approve_diff(v_id, p_record ->> 'approvedBy');
        RETURN true;
    END IF;
    IF v_remote = 'rejected' THEN
        PERFORM zengin.reject_diff(v_id, coalesce(p_record ->> 'rejectedBy', p_record ->> 'approvedBy'),
            coalesce(p_record ->> 'rejectReason', 'rejected in DynamoDB'));
        RETURN true;
    END IF;
    -- DynamoDB is behind (pending) or claims a state only PostgreSQL reaches:
    -- PostgreSQL wins; plan_writebacks corrects the record.
    RETURN v_changed;
END
$$;

COMMENT ON FUNCTION zengin_sync.apply_record(jsonb) IS
'Make PostgreSQL reflect a well-formed DynamoDB record: adopt it when unknown (ZS010 unless its status has zengin.diff_statuses.sync_may_adopt), then, when a reviewer decided in DynamoDB, reject through zengin.reject_diff or approve through zengin.approve_diff (unless PostgreSQL is already beyond approval, as zengin.diff_status_paths says, or the record was adopted by this call: a diff the sync created is approved by a reviewer''s own login, never relayed; an approval past the ttl expires the diff). Returns whether zengin.diffs changed. State machine errors (ZG…) propagate.';
