-- requires: sql/functions/zengin/require_identity.sql
-- Why: every diff must expire like its DynamoDB record (ttl = creation + 90
-- days), also when it is created by hand or imported rather than by
-- zengin.diff_snapshot. The creator's name is stored in canonical form
-- (zengin.require_identity: the four-eyes rule compares canonical names), and
-- the login that really inserted the row is recorded whatever the INSERT
-- says, so the same login cannot approve it later (ZG021). A diff starts
-- pending and undecided (ZG011 otherwise): inserting one already approved
-- would skip the state machine and the four-eyes rule.
CREATE OR REPLACE FUNCTION zengin.tg_diffs__set_defaults()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM 'pending'
        OR pg_catalog.num_nonnulls(NEW.approved_by, NEW.approved_at, NEW.approved_session_user,
            NEW.rejected_by, NEW.rejected_at, NEW.rejected_session_user, NEW.reject_reason,
            NEW.executed_at, NEW.execution_result) > 0 THEN
        RAISE EXCEPTION 'new diff % must start pending and undecided, not %', NEW.id, NEW.status
            USING ERRCODE = 'ZG011',
                  DETAIL = pg_catalog.format('id=%s status=%s approved_by=%s rejected_by=%s',
                      NEW.id, NEW.status, NEW.approved_by, NEW.rejected_by),
                  HINT = 'Insert the diff pending, then decide it through zengin.approve_diff or '
                      'zengin.reject_diff (zengin.diff_transitions).';
    END IF;
    NEW.created_by := zengin.require_identity('created_by', NEW.created_by);
    NEW.created_session_user := session_user::text;
    IF NEW.ttl IS NULL THEN
        NEW.ttl := pg_catalog.floor(pg_catalog.date_part('epoch', NEW.timestamp + interval '90 days'))::bigint;
    END IF;
    NEW.updated_at := coalesce(NEW.updated_at, NEW.timestamp);
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION zengin.tg_diffs__set_defaults() IS
'Trigger function: refuses a new diff that is not pending or already carries a decision or an execution (ZG011); stores created_by in canonical form (ZG012 when it names nobody), sets created_session_user to the inserting login (session_user), and fills ttl (epoch seconds, 90 days after timestamp) and updated_at of a new diff when not given.';

CREATE OR REPLACE TRIGGER tg_diffs__set_defaults
BEFORE INSERT ON zengin.diffs
FOR EACH ROW EXECUTE FUNCTION zengin.tg_diffs__set_defaults();

COMMENT ON TRIGGER tg_diffs__set_defaults ON zengin.diffs IS
'Canonical creator name, inserting login, ttl and updated_at of a new diff (see the function).';
