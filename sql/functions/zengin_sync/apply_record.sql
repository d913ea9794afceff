-- Why: a reviewer's decision made in DynamoDB must take effect in PostgreSQL
-- through the same functions and state machine as one made in psql. When
-- PostgreSQL is ahead (executed, expired, …) it wins and the write-back
-- corrects DynamoDB; an impossible decision raises the state machine's error.
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
BEGIN
    SELECT d.status INTO v_local FROM zengin.diffs AS d WHERE d.id = v_id FOR UPDATE;
    IF NOT FOUND THEN
        IF v_remote NOT IN ('pending', 'approved', 'rejected') THEN
            RAISE EXCEPTION 'diff % is unknown to PostgreSQL and already % in DynamoDB', v_id, v_remote
                USING ERRCODE = 'ZS010',
                      DETAIL = pg_catalog.format('id=%s status=%s', v_id, v_remote),
                      HINT = 'Only pending, approved or rejected records can be taken over; create the diff in PostgreSQL instead.';
        END IF;
        PERFORM zengin_sync.adopt_record(p_record);
        v_local := 'pending';
        v_changed := true;
    END IF;

    IF v_remote = v_local THEN
        RETURN v_changed;
    END IF;
    IF v_remote = 'approved' AND v_local NOT IN ('executing', 'completed', 'failed') THEN
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
'Make PostgreSQL reflect a well-formed DynamoDB record: adopt it when unknown (ZS010 unless pending/approved/rejected), then approve or reject through zengin.approve_diff/zengin.reject_diff when a reviewer decided in DynamoDB. Returns whether zengin.diffs changed. State machine errors (ZG…) propagate.';
