-- requires: sql/functions/bbase/raise_invalid.sql
-- requires: sql/functions/zengin/normalize_identity.sql, sql/functions/zengin/require_identity.sql
-- Why: the approval workflow is only trustworthy if the database itself refuses
-- illegal status changes, whoever issues the UPDATE (function, sync job, psql).
-- The state machine is the rows of zengin.diff_transitions (migration 0175):
-- a status change is allowed exactly when its (from, to) pair is listed there.
-- A decision is taken once: the approval columns are written only by the
-- change pending -> approved, the rejection columns only by pending ->
-- rejected, the execution columns only on leaving executing; any other
-- change of them (approving an approved diff again, renaming its approver
-- with the status unchanged) is ZG011. Who decided is stored in canonical form
-- (zengin.require_identity) and the login that did it (session_user) is
-- recorded by this trigger, not taken from the caller; the four-eyes rule
-- holds on both the names (ZG013) and the logins (ZG021). A pending diff past
-- its ttl cannot be approved (ZG020; zengin.approve_diff expires it instead).
CREATE OR REPLACE FUNCTION zengin.tg_diffs__enforce_transition()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_allowed text;
    v_column text;
    v_name text;
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.timestamp IS DISTINCT FROM OLD.timestamp
        OR NEW.diff_type IS DISTINCT FROM OLD.diff_type
        OR NEW.target IS DISTINCT FROM OLD.target
        OR NEW.zengin_data IS DISTINCT FROM OLD.zengin_data
        OR NEW.current_data IS DISTINCT FROM OLD.current_data
        OR NEW.changes IS DISTINCT FROM OLD.changes
        OR NEW.created_by IS DISTINCT FROM OLD.created_by
        OR NEW.created_session_user IS DISTINCT FROM OLD.created_session_user
        OR NEW.snapshot_id IS DISTINCT FROM OLD.snapshot_id
        OR NEW.ttl IS DISTINCT FROM OLD.ttl
        OR NEW.metadata IS DISTINCT FROM OLD.metadata
        OR NEW.data_summary IS DISTINCT FROM OLD.data_summary
        -- Where the body went is recorded once, while the diff is pending.
        OR ((NEW.data_location IS DISTINCT FROM OLD.data_location
                OR NEW.data_size IS DISTINCT FROM OLD.data_size)
            AND NOT (OLD.status = 'pending' AND NEW.status = 'pending'
                AND OLD.data_location IS NULL AND OLD.data_size IS NULL)) THEN
        RAISE EXCEPTION 'diff % content is immutable', OLD.id
            USING ERRCODE = 'ZG016',
                  DETAIL = pg_catalog.format('id=%s status=%s', OLD.id, OLD.status),
                  HINT = 'Reject the diff and create a new one instead of editing it.';
    END IF;

    IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
        SELECT FROM zengin.diff_transitions AS t
        WHERE t.from_status = OLD.status AND t.to_status = NEW.status
    ) THEN
        SELECT coalesce(pg_catalog.string_agg(t.to_status, ', ' ORDER BY t.to_status), 'nothing')
        INTO v_allowed
        FROM zengin.diff_transitions AS t
        WHERE t.from_status = OLD.status;
        RAISE EXCEPTION 'illegal diff status transition % -> % for diff %', OLD.status, NEW.status, OLD.id
            USING ERRCODE = 'ZG011',
                  DETAIL = pg_catalog.format('id=%s from=%s to=%s', OLD.id, OLD.status, NEW.status),
                  HINT = pg_catalog.format('From %s a diff may change to %s (zengin.diff_transitions).',
                      OLD.status, v_allowed);
    END IF;

    -- Decision columns: written by their own transition, never otherwise.
    v_column := CASE
        WHEN NOT (OLD.status = 'pending' AND NEW.status = 'approved') AND (
            NEW.approved_by IS DISTINCT FROM OLD.approved_by
            OR NEW.approved_at IS DISTINCT FROM OLD.approved_at
            OR NEW.approved_session_user IS DISTINCT FROM OLD.approved_session_user)
            THEN 'approved_by/approved_at/approved_session_user'
        WHEN NOT (OLD.status = 'pending' AND NEW.status = 'rejected') AND (
            NEW.rejected_by IS DISTINCT FROM OLD.rejected_by
            OR NEW.rejected_at IS DISTINCT FROM OLD.rejected_at
            OR NEW.rejected_session_user IS DISTINCT FROM OLD.rejected_session_user
            OR NEW.reject_reason IS DISTINCT FROM OLD.reject_reason)
            THEN 'rejected_by/rejected_at/rejected_session_user/reject_reason'
        WHEN NOT (OLD.status = 'executing' AND NEW.status IS DISTINCT FROM OLD.status) AND (
            NEW.executed_at IS DISTINCT FROM OLD.executed_at
            OR NEW.execution_result IS DISTINCT FROM OLD.execution_result)
            THEN 'executed_at/execution_result'
    END;
    IF v_column IS NOT NULL THEN
        RAISE EXCEPTION 'diff % is already % and its decision is final: % cannot change', OLD.id,
            OLD.status, v_column
            USING ERRCODE = 'ZG011',
                  DETAIL = pg_catalog.format('id=%s status=%s approved_by=%s rejected_by=%s', OLD.id,
                      OLD.status, OLD.approved_by, OLD.rejected_by),
                  HINT = 'A diff is approved or rejected once, from pending (zengin.diff_transitions); '
                      'create a new diff to decide again.';
    END IF;

    IF OLD.status = 'pending' AND NEW.status = 'approved' THEN
        v_name := zengin.require_identity('approved_by', NEW.approved_by);
        IF v_name = zengin.normalize_identity(OLD.created_by) THEN
            RAISE EXCEPTION 'approver % may not approve diff % they created', NEW.approved_by, OLD.id
                USING ERRCODE = 'ZG013',
                      DETAIL = pg_catalog.format('id=%s created_by=%s approved_by=%s',
                          OLD.id, OLD.created_by, NEW.approved_by),
                      HINT = 'Ask someone other than the creator to approve it.';
        END IF;
        IF OLD.created_session_user = session_user::text THEN
            RAISE EXCEPTION 'login % created diff % and may not approve it', session_user, OLD.id
                USING ERRCODE = 'ZG021',
                      DETAIL = pg_catalog.format('id=%s created_session_user=%s session_user=%s',
                          OLD.id, OLD.created_session_user, session_user),
                      HINT = 'Approve it from another database login (a reviewer''s own login).';
        END IF;
        IF OLD.ttl < pg_catalog.date_part('epoch', pg_catalog.now()) THEN
            RAISE EXCEPTION 'diff % expired at % and cannot be approved', OLD.id,
                pg_catalog.to_timestamp(OLD.ttl)
                USING ERRCODE = 'ZG020',
                      DETAIL = pg_catalog.format('id=%s ttl=%s', OLD.id, OLD.ttl),
                      HINT = 'zengin.approve_diff expires it; create a new diff from fresh data.';
        END IF;
        NEW.approved_by := v_name;
        NEW.approved_at := pg_catalog.now();
        NEW.approved_session_user := session_user::text;
    ELSIF OLD.status = 'pending' AND NEW.status = 'rejected' THEN
        NEW.rejected_by := zengin.require_identity('rejected_by', NEW.rejected_by);
        NEW.rejected_at := pg_catalog.now();
        NEW.rejected_session_user := session_user::text;
    END IF;

    NEW.updated_at := pg_catalog.clock_timestamp();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION zengin.tg_diffs__enforce_transition() IS
'Trigger function: refuses status changes zengin.diff_transitions does not list (ZG011), any change of the approval, rejection or execution columns outside their own transition, such as a second decision (ZG011), approval or rejection without a named person (ZG012), approval by the creator''s name (ZG013) or login (ZG021), approval past the ttl (ZG020), and edits of a diff''s content (ZG016; data_location/data_size only once, while pending); stores names in canonical form (zengin.normalize_identity) and stamps approved_at/approved_session_user, rejected_at/rejected_session_user and updated_at itself.';

CREATE OR REPLACE TRIGGER tg_diffs__enforce_transition
BEFORE UPDATE ON zengin.diffs
FOR EACH ROW EXECUTE FUNCTION zengin.tg_diffs__enforce_transition();

COMMENT ON TRIGGER tg_diffs__enforce_transition ON zengin.diffs IS
'Enforces the diff state machine (zengin.diff_transitions), final decisions and the four-eyes rule on names and logins (see the function).';
