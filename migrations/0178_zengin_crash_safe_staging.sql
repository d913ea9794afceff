-- depends: 0177_zengin_four_eyes
-- Staged snapshots survive a crash; a mass change needs a named confirmation.
--
-- Why: the staging tables were UNLOGGED, so crash recovery emptied them while
-- the snapshot header still counted every bank and branch, and diff_snapshot
-- then made diffs deleting the whole master. They are now logged (WAL-backed:
-- a crash keeps what was committed), and zengin.diff_snapshot also checks that
-- a snapshot's staged rows match its header before diffing (ZG030). A second,
-- independent guard refuses a snapshot that would delete or change more than
-- a share of the master (ZG031) unless an operator confirms it by name: a
-- real monthly change touches under 1 % of the master, a broken source folder
-- looks like a 100 % deletion. The share lives in zengin.settings (one row,
-- changed by the DBA); the confirmation is recorded on the snapshot.
-- diff_snapshot gains the confirmation parameters, so its old signature is
-- dropped here (replay creates the new one; it never drops).

ALTER TABLE zengin.snapshot_banks SET LOGGED;
ALTER TABLE zengin.snapshot_branches SET LOGGED;

COMMENT ON TABLE zengin.snapshot_banks IS
'Staged banks of a snapshot, loaded by COPY from banks.json after `bbase zengin stage` checked the whole folder (zengin.find_source_problems; length CHECKs here too); the master''s triggers validate again when a diff is applied. Logged, so a crash keeps every committed row; zengin.diff_snapshot refuses a snapshot whose staged count differs from zengin.snapshots.bank_count (ZG030).';
COMMENT ON TABLE zengin.snapshot_branches IS
'Staged branches of a snapshot (the glue stages only branches of banks in the same snapshot; no foreign key is checked), loaded by COPY from branches/<bank_code>.json after `bbase zengin stage` checked the whole folder. Logged, so a crash keeps every committed row; zengin.diff_snapshot refuses a snapshot whose staged count differs from zengin.snapshots.branch_count (ZG030).';

CREATE TABLE zengin.settings (
    only_row boolean PRIMARY KEY DEFAULT TRUE,
    mass_change_share numeric NOT NULL DEFAULT 0.05,
    CONSTRAINT settings_one_row CHECK (only_row),
    CONSTRAINT settings_mass_change_share_range CHECK (mass_change_share > 0 AND mass_change_share <= 1)
);

COMMENT ON TABLE zengin.settings IS
'Tunable rules of the Zengin pipeline: exactly one row, changed by the DBA (UPDATE zengin.settings SET …). Without the row, zengin.diff_snapshot treats every deletion or update as a mass change (fails closed).';
COMMENT ON COLUMN zengin.settings.only_row IS 'Always true: the table holds one row.';
COMMENT ON COLUMN zengin.settings.mass_change_share IS
'Largest share of the master (banks + branches) one snapshot may delete or update without a named confirmation, as a fraction: 0.05 = 5 %. Above it zengin.diff_snapshot refuses with ZG031. Additions never count (an initial load is not a mass change).';

INSERT INTO zengin.settings (only_row) VALUES (TRUE);

GRANT SELECT ON zengin.settings TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

ALTER TABLE zengin.snapshots
ADD COLUMN mass_change_confirmed_by text,
ADD COLUMN mass_change_confirmed_role text,
ADD COLUMN mass_change_confirmed_at timestamptz,
ADD CONSTRAINT snapshots_mass_change_confirmation_whole CHECK (
    (mass_change_confirmed_by IS NULL) = (mass_change_confirmed_role IS NULL)
    AND (mass_change_confirmed_by IS NULL) = (mass_change_confirmed_at IS NULL)
);

COMMENT ON COLUMN zengin.snapshots.mass_change_confirmed_by IS
'Who confirmed that this snapshot''s diff may delete or update more than zengin.settings.mass_change_share of the master (normalised name given to zengin.diff_snapshot); NULL when no confirmation was needed.';
COMMENT ON COLUMN zengin.snapshots.mass_change_confirmed_role IS
'Database role (session user) that called zengin.diff_snapshot with the confirmation.';
COMMENT ON COLUMN zengin.snapshots.mass_change_confirmed_at IS 'When the mass change was confirmed.';

DROP FUNCTION IF EXISTS zengin.diff_snapshot(bigint, text, integer);
