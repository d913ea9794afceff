-- Roll back crash-safe staging and the mass-change guard: the staging tables
-- become UNLOGGED again, the settings table and the confirmation columns go,
-- and diff_snapshot with the confirmation parameters is dropped (replaying the
-- previous sql/ tree creates the old signature).
DROP FUNCTION IF EXISTS zengin.diff_snapshot(bigint, text, integer, boolean, text);

ALTER TABLE zengin.snapshots
DROP CONSTRAINT snapshots_mass_change_confirmation_whole,
DROP COLUMN mass_change_confirmed_at,
DROP COLUMN mass_change_confirmed_role,
DROP COLUMN mass_change_confirmed_by;

DROP TABLE zengin.settings;

ALTER TABLE zengin.snapshot_branches SET UNLOGGED;
ALTER TABLE zengin.snapshot_banks SET UNLOGGED;

COMMENT ON TABLE zengin.snapshot_banks IS
'Staged banks of a snapshot, loaded by COPY as found in banks.json (unvalidated: validation happens when a diff is applied to zengin.banks). UNLOGGED: emptied by crash recovery; re-stage from the source folder.';
COMMENT ON TABLE zengin.snapshot_branches IS
'Staged branches of a snapshot (the glue stages only branches of banks in the same snapshot; no foreign key is checked), loaded by COPY as found in branches/<bank_code>.json. UNLOGGED: emptied by crash recovery; re-stage from the source folder.';
