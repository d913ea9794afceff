-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: the approval workflow is only trustworthy if the database itself refuses
-- illegal status changes, whoever issues the UPDATE (function, sync job, psql).
-- The state machine is the rows of zengin.diff_transitions (migration 0175):
-- a status change is allowed exactly when its (from, to) pair is listed there.
CREATE OR REPLACE FUNCTION zengin.tg_diffs__enforce_transition()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_allowed text;
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.timestamp IS DISTINCT FROM OLD.timestamp
        OR NEW.diff_type IS DISTINCT FROM OLD.diff_type
        OR NEW.target IS DISTINCT FROM OLD.target
        OR NEW.zengin_data IS DISTINCT FROM OLD.zengin_data
        OR NEW.current_data IS DISTINCT FROM OLD.current_data
        OR NEW.changes IS DISTINCT FROM OLD.changes
        OR NEW.created_by IS DISTINCT FROM OLD.created_by
        OR NEW.snapshot_id IS DISTINCT FROM OLD.snapshot_id THEN
        RAISE EXCEPTION 'diff % content is immutable', OLD.id
            USING ERRCODE = 'ZG016',
                  DETAIL = pg_catalog.format('id=%s status=%s', OLD.id, OLD.status),
                  HINT = 'Reject the diff and create a new one instead of editing it.';
    END IF;

    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (
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

        IF NEW.status = 'approved' THEN
            IF coalesce(pg_catalog.btrim(NEW.approved_by), '') = '' THEN
                PERFORM bbase.raise_invalid('ZG012', 'approved_by', NEW.approved_by,
                    'approval needs a named approver');
            END IF;
            IF pg_catalog.lower(pg_catalog.btrim(NEW.approved_by))
                = pg_catalog.lower(pg_catalog.btrim(OLD.created_by)) THEN
                RAISE EXCEPTION 'approver % may not approve diff % they created', NEW.approved_by, OLD.id
                    USING ERRCODE = 'ZG013',
                          DETAIL = pg_catalog.format('id=%s created_by=%s approved_by=%s',
                              OLD.id, OLD.created_by, NEW.approved_by),
                          HINT = 'Ask someone other than the creator to approve it.';
            END IF;
            NEW.approved_at := coalesce(NEW.approved_at, pg_catalog.now());
        ELSIF NEW.status = 'rejected' THEN
            IF coalesce(pg_catalog.btrim(NEW.rejected_by), '') = '' THEN
                PERFORM bbase.raise_invalid('ZG012', 'rejected_by', NEW.rejected_by,
                    'rejection needs a named reviewer');
            END IF;
            NEW.rejected_at := coalesce(NEW.rejected_at, pg_catalog.now());
        END IF;
    END IF;

    NEW.updated_at := pg_catalog.clock_timestamp();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION zengin.tg_diffs__enforce_transition() IS
'Trigger function: refuses status changes zengin.diff_transitions does not list (ZG011), approval without a named approver (ZG012) or by the creator (ZG013), and edits of a diff''s content (ZG016); stamps approved_at/rejected_at/updated_at.';

CREATE OR REPLACE TRIGGER tg_diffs__enforce_transition
BEFORE UPDATE ON zengin.diffs
FOR EACH ROW EXECUTE FUNCTION zengin.tg_diffs__enforce_transition();

COMMENT ON TRIGGER tg_diffs__enforce_transition ON zengin.diffs IS
'Enforces the diff state machine (zengin.diff_transitions) and approval rules (see the function).';
