-- Undo 0013: default collation for codes, logged staging, the dropped indexes and foreign key back.
-- The insert-validation triggers' WHEN conditions use the code columns, so they go
-- first; bbase migrate replays them (every object is replayed after a rollback).
DROP TRIGGER IF EXISTS tg_banks__validate_insert ON zengin.banks;
DROP TRIGGER IF EXISTS tg_branches__validate_insert ON zengin.branches;
ALTER TABLE zengin.change_history
ALTER COLUMN bank_code TYPE text COLLATE "default",
ALTER COLUMN branch_code TYPE text COLLATE "default";
ALTER TABLE zengin.diff_items
ALTER COLUMN bank_code TYPE text COLLATE "default",
ALTER COLUMN branch_code TYPE text COLLATE "default";
ALTER TABLE zengin.snapshot_branches
ALTER COLUMN bank_code TYPE text COLLATE "default",
ALTER COLUMN branch_code TYPE text COLLATE "default";
ALTER TABLE zengin.snapshot_banks ALTER COLUMN bank_code TYPE text COLLATE "default";
ALTER TABLE zengin.branches DROP CONSTRAINT branches_bank_code_fkey;
ALTER TABLE zengin.branches
ALTER COLUMN bank_code TYPE text COLLATE "default",
ALTER COLUMN branch_code TYPE text COLLATE "default";
ALTER TABLE zengin.banks ALTER COLUMN bank_code TYPE text COLLATE "default";
ALTER TABLE zengin.branches ADD CONSTRAINT branches_bank_code_fkey
FOREIGN KEY (bank_code) REFERENCES zengin.banks (bank_code) ON DELETE RESTRICT;

CREATE INDEX change_history_diff_idx ON zengin.change_history (diff_id) WHERE diff_id IS NOT NULL;
CREATE INDEX branches_name_idx ON zengin.branches (name);
CREATE INDEX banks_name_idx ON zengin.banks (name);

ALTER TABLE zengin.snapshot_banks SET LOGGED;
ALTER TABLE zengin.snapshot_branches SET LOGGED;
ALTER TABLE zengin.snapshot_branches ADD CONSTRAINT snapshot_branches_snapshot_id_bank_code_fkey
FOREIGN KEY (snapshot_id, bank_code) REFERENCES zengin.snapshot_banks (snapshot_id, bank_code) ON DELETE CASCADE;
