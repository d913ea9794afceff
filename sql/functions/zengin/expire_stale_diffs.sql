-- Why: DynamoDB drops records at their TTL; a diff nobody decided on within
-- 90 days must not be approvable any more in PostgreSQL either. Which
-- statuses may expire is the state machine's to say (zengin.diff_transitions).
CREATE OR REPLACE FUNCTION zengin.expire_stale_diffs()
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE zengin.diffs AS d
    SET status = 'expired'
    WHERE d.status IN (SELECT t.from_status FROM zengin.diff_transitions AS t WHERE t.to_status = 'expired')
        AND d.ttl < pg_catalog.date_part('epoch', pg_catalog.now());
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION zengin.expire_stale_diffs() IS
'Mark diffs whose ttl (epoch seconds) has passed as expired, from every status zengin.diff_transitions lets expire (pending, rejected); returns how many. Run by maintenance.';

GRANT EXECUTE ON FUNCTION zengin.expire_stale_diffs() TO bbase_operator;
