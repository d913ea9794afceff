-- requires: sql/functions/bbase/raise_invalid.sql, sql/functions/zengin/normalize_identity.sql
-- Why: a real monthly release changes under 1 % of the master; a broken
-- source folder (an empty banks.json, a missing branches/ folder, a half
-- staged snapshot) looks like a 100 % deletion. One rule decides when a
-- snapshot's diffs are too big to create without a person saying so: the
-- deletions and updates (additions never count, so an initial load into an
-- empty master passes) may be at most zengin.settings.mass_change_share of the
-- master's banks + branches; above it the call is refused (ZG031) unless the
-- caller confirms with a name, which is recorded on the snapshot with the
-- database login that gave it. Without the settings row the share is 0: every
-- deletion or update needs the confirmation (fail closed).
CREATE OR REPLACE FUNCTION zengin.check_mass_change(
    p_snapshot_id bigint,
    p_deletions integer,
    p_updates integer,
    p_confirm boolean,
    p_confirmed_by text
)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_confirmed_by text := zengin.normalize_identity(p_confirmed_by);
    v_share numeric;
    v_master bigint;
    v_changed bigint := coalesce(p_deletions, 0) + coalesce(p_updates, 0);
BEGIN
    IF p_confirm AND coalesce(v_confirmed_by, '') = '' THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_confirmed_by', p_confirmed_by,
            'a mass change is confirmed by a person''s name');
    END IF;
    IF NOT p_confirm AND p_confirmed_by IS NOT NULL THEN
        PERFORM bbase.raise_invalid('ZG017', 'p_confirm_mass_change', p_confirm::text,
            'must be true when p_confirmed_by is given');
    END IF;
    IF v_changed = 0 THEN
        RETURN false;
    END IF;

    SELECT coalesce((SELECT s.mass_change_share FROM zengin.settings AS s), 0),
        (SELECT pg_catalog.count(*) FROM zengin.banks) + (SELECT pg_catalog.count(*) FROM zengin.branches)
    INTO v_share, v_master;
    IF v_changed <= v_share * v_master THEN
        RETURN false;
    END IF;

    IF NOT p_confirm THEN
        RAISE EXCEPTION 'snapshot % would delete or update % of the master''s % records (% %%), more than the % %% allowed without confirmation',
            p_snapshot_id, v_changed, v_master,
            pg_catalog.round(100.0 * v_changed / greatest(v_master, 1), 2),
            pg_catalog.round(100 * v_share, 2)
            USING ERRCODE = 'ZG031',
                  DETAIL = pg_catalog.format(
                      'snapshot_id=%s deletions=%s updates=%s master_records=%s share=%s allowed_share=%s',
                      p_snapshot_id, coalesce(p_deletions, 0), coalesce(p_updates, 0), v_master,
                      pg_catalog.round(v_changed::numeric / greatest(v_master, 1), 4), v_share),
                  HINT = 'Check the source folder first (a broken one looks like a mass deletion). If the change is real:'
                      || ' bbase zengin diff ID --confirm-mass-change NAME, or zengin.diff_snapshot(id,'
                      || ' p_confirm_mass_change => true, p_confirmed_by => ''NAME'').';
    END IF;

    UPDATE zengin.snapshots AS s
    SET mass_change_confirmed_by = v_confirmed_by,
        mass_change_confirmed_role = session_user::text,
        mass_change_confirmed_at = pg_catalog.clock_timestamp()
    WHERE s.id = p_snapshot_id;
    RETURN true;
END
$$;

COMMENT ON FUNCTION zengin.check_mass_change(bigint, integer, integer, boolean, text) IS
'Internal (zengin.diff_snapshot, after it made its diffs): the mass-change guard. When p_deletions + p_updates exceed zengin.settings.mass_change_share (0 without the settings row) of the master''s banks + branches, raise ZG031 naming the counts and the share, unless p_confirm with a non-blank p_confirmed_by: then record the name (normalised by zengin.normalize_identity), the session user and the time on zengin.snapshots and return true. Returns false when no confirmation was needed. ZG017 for a confirmation without a name or a name without the confirmation.';

REVOKE EXECUTE ON FUNCTION zengin.check_mass_change(bigint, integer, integer, boolean, text) FROM PUBLIC;
