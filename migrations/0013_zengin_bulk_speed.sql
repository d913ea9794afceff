-- depends: 0012_zengin_change_history
-- Make a full-master load cheaper (bbase bench zengin; docs/benchmarks.md).
--
-- Why:
-- * Codes are ASCII digits, so their columns use COLLATE "C": key comparisons
--   become memcmp instead of locale collation (primary keys, joins, history).
-- * Staging tables hold reproducible data (re-stage from the source folder), so
--   they are UNLOGGED, and the staged branch -> staged bank foreign key goes:
--   the glue stages only branches of banks in banks.json, and diff_snapshot
--   reads a snapshot's banks and branches independently.
-- * No product query looks banks/branches up by name or history by diff id
--   often enough to pay an index on every write of a full load.

ALTER TABLE zengin.snapshot_branches DROP CONSTRAINT snapshot_branches_snapshot_id_bank_code_fkey;
ALTER TABLE zengin.snapshot_branches SET UNLOGGED;
ALTER TABLE zengin.snapshot_banks SET UNLOGGED;

DROP INDEX zengin.banks_name_idx;
DROP INDEX zengin.branches_name_idx;
DROP INDEX zengin.change_history_diff_idx;

ALTER TABLE zengin.branches DROP CONSTRAINT branches_bank_code_fkey;
ALTER TABLE zengin.banks ALTER COLUMN bank_code TYPE text COLLATE "C";
ALTER TABLE zengin.branches
ALTER COLUMN bank_code TYPE text COLLATE "C",
ALTER COLUMN branch_code TYPE text COLLATE "C";
ALTER TABLE zengin.branches ADD CONSTRAINT branches_bank_code_fkey
FOREIGN KEY (bank_code) REFERENCES zengin.banks (bank_code) ON DELETE RESTRICT;
ALTER TABLE zengin.snapshot_banks ALTER COLUMN bank_code TYPE text COLLATE "C";
ALTER TABLE zengin.snapshot_branches
ALTER COLUMN bank_code TYPE text COLLATE "C",
ALTER COLUMN branch_code TYPE text COLLATE "C";
ALTER TABLE zengin.diff_items
ALTER COLUMN bank_code TYPE text COLLATE "C",
ALTER COLUMN branch_code TYPE text COLLATE "C";
ALTER TABLE zengin.change_history
ALTER COLUMN bank_code TYPE text COLLATE "C",
ALTER COLUMN branch_code TYPE text COLLATE "C";
