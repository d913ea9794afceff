-- depends: 0001_bbase_foundation
-- Zengin master data: the live bank and branch tables and the snapshot staging tables.
--
-- Why: the live master (banks, branches) is what diffs are applied to; a
-- snapshot is one release of the zengin-code source data staged as-is, so the
-- diff against the live master can be computed set-based inside PostgreSQL.
-- The CHECK constraints back up the validation triggers (sql/triggers/zengin/),
-- which raise first and name the offending field and value.
--
-- Built for a full-master load (bbase bench zengin; docs/benchmarks.md):
-- * codes are ASCII digits, so their columns use COLLATE "C": key comparisons
--   are memcmp instead of locale collation (primary keys, joins, history);
-- * staging tables hold reproducible data (re-stage from the source folder), so
--   they are UNLOGGED and have no staged branch -> staged bank foreign key: the
--   glue stages only branches of banks in banks.json, and diff_snapshot reads a
--   snapshot's banks and branches independently;
-- * no index on names: no product query looks banks or branches up by name
--   often enough to pay for it on every write of a full load.

CREATE SCHEMA zengin;

COMMENT ON SCHEMA zengin IS
'Zengin bank/branch master data: live master, staged snapshots, diff records with their approval state machine, and the change history.';

CREATE TABLE zengin.banks (
    bank_code text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    kana text NOT NULL,
    hira text,
    roma text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT banks_bank_code_format CHECK (bank_code ~ '^[0-9]{4}$'),
    CONSTRAINT banks_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT banks_kana_katakana CHECK (kana ~ '^[ァ-ヺー－．・（）／　Ａ-Ｚ０-９]+$')
);

COMMENT ON TABLE zengin.banks IS
'Live bank master (one row per Zengin bank code). Changed by executing approved diffs or by hand; every change is recorded in zengin.change_history.';
COMMENT ON COLUMN zengin.banks.bank_code IS 'Zengin bank code: exactly 4 ASCII digits, e.g. 0001.';
COMMENT ON COLUMN zengin.banks.name IS 'Bank name as published by Zengin, e.g. みずほ; never blank.';
COMMENT ON COLUMN zengin.banks.kana IS 'Bank name in full-width katakana as used in Zengin files (may contain －, ．, full-width Latin capitals and digits, ideographic space).';
COMMENT ON COLUMN zengin.banks.hira IS 'Bank name in hiragana (from the source data, else derived by zengin.hira_from_kana).';
COMMENT ON COLUMN zengin.banks.roma IS 'Bank name romanised, e.g. mizuho; NULL when the source gives none.';
COMMENT ON COLUMN zengin.banks.created_at IS 'When the row was inserted.';
COMMENT ON COLUMN zengin.banks.updated_at IS 'When the row was last updated (set by trigger).';

CREATE TABLE zengin.branches (
    bank_code text COLLATE "C" NOT NULL REFERENCES zengin.banks (bank_code) ON DELETE RESTRICT,
    branch_code text COLLATE "C" NOT NULL,
    name text NOT NULL,
    kana text NOT NULL,
    hira text,
    roma text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bank_code, branch_code),
    CONSTRAINT branches_branch_code_format CHECK (branch_code ~ '^[0-9]{3}$'),
    CONSTRAINT branches_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT branches_kana_katakana CHECK (kana ~ '^[ァ-ヺー－．・（）／　Ａ-Ｚ０-９]+$')
);

COMMENT ON TABLE zengin.branches IS
'Live branch master (one row per bank code + branch code). A bank cannot be deleted while it has branches (ON DELETE RESTRICT): diffs delete the branches first, each recorded in the change history.';
COMMENT ON COLUMN zengin.branches.bank_code IS 'Bank the branch belongs to (zengin.banks).';
COMMENT ON COLUMN zengin.branches.branch_code IS 'Zengin branch code: exactly 3 ASCII digits, e.g. 001.';
COMMENT ON COLUMN zengin.branches.name IS 'Branch name, e.g. 本店; never blank.';
COMMENT ON COLUMN zengin.branches.kana IS 'Branch name in full-width katakana as used in Zengin files.';
COMMENT ON COLUMN zengin.branches.hira IS 'Branch name in hiragana (from the source data, else derived by zengin.hira_from_kana).';
COMMENT ON COLUMN zengin.branches.roma IS 'Branch name romanised; NULL when the source gives none.';
COMMENT ON COLUMN zengin.branches.created_at IS 'When the row was inserted.';
COMMENT ON COLUMN zengin.branches.updated_at IS 'When the row was last updated (set by trigger).';

CREATE TABLE zengin.snapshots (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    source_version text,
    staged_at timestamptz NOT NULL DEFAULT now(),
    staged_by text NOT NULL DEFAULT current_user,
    bank_count integer,
    branch_count integer,
    orphan_branch_files integer NOT NULL DEFAULT 0,
    orphan_bank_codes text[] NOT NULL DEFAULT '{}'
);

COMMENT ON TABLE zengin.snapshots IS
'One staged release of the Zengin source data (bbase zengin stage). Defined by its banks.json: branch files of banks not in it are counted as orphans and not staged.';
COMMENT ON COLUMN zengin.snapshots.id IS 'Snapshot id, printed by bbase zengin stage and passed to zengin.diff_snapshot.';
COMMENT ON COLUMN zengin.snapshots.source IS 'Where the data came from (folder path or package), free text.';
COMMENT ON COLUMN zengin.snapshots.source_version IS 'Release of the source data, e.g. 20260824 (zengin-code 1.1.0.20260824).';
COMMENT ON COLUMN zengin.snapshots.staged_at IS 'When the snapshot was staged.';
COMMENT ON COLUMN zengin.snapshots.staged_by IS 'Database user that staged it.';
COMMENT ON COLUMN zengin.snapshots.bank_count IS 'Banks staged (entries of banks.json).';
COMMENT ON COLUMN zengin.snapshots.branch_count IS 'Branches staged (of banks in banks.json only).';
COMMENT ON COLUMN zengin.snapshots.orphan_branch_files IS 'Branch files skipped because their bank is not in banks.json.';
COMMENT ON COLUMN zengin.snapshots.orphan_bank_codes IS 'Bank codes of the skipped branch files.';

CREATE UNLOGGED TABLE zengin.snapshot_banks (
    snapshot_id bigint NOT NULL REFERENCES zengin.snapshots (id) ON DELETE CASCADE,
    bank_code text COLLATE "C" NOT NULL,
    name text,
    kana text,
    hira text,
    roma text,
    PRIMARY KEY (snapshot_id, bank_code)
);

COMMENT ON TABLE zengin.snapshot_banks IS
'Staged banks of a snapshot, loaded by COPY as found in banks.json (unvalidated: validation happens when a diff is applied to zengin.banks). UNLOGGED: emptied by crash recovery; re-stage from the source folder.';
COMMENT ON COLUMN zengin.snapshot_banks.snapshot_id IS 'Snapshot (zengin.snapshots).';
COMMENT ON COLUMN zengin.snapshot_banks.bank_code IS 'Bank code as in the source.';
COMMENT ON COLUMN zengin.snapshot_banks.name IS 'Bank name as in the source.';
COMMENT ON COLUMN zengin.snapshot_banks.kana IS 'Katakana name as in the source.';
COMMENT ON COLUMN zengin.snapshot_banks.hira IS 'Hiragana name as in the source.';
COMMENT ON COLUMN zengin.snapshot_banks.roma IS 'Romanised name as in the source.';

CREATE UNLOGGED TABLE zengin.snapshot_branches (
    snapshot_id bigint NOT NULL,
    bank_code text COLLATE "C" NOT NULL,
    branch_code text COLLATE "C" NOT NULL,
    name text,
    kana text,
    hira text,
    roma text,
    PRIMARY KEY (snapshot_id, bank_code, branch_code)
);

COMMENT ON TABLE zengin.snapshot_branches IS
'Staged branches of a snapshot (the glue stages only branches of banks in the same snapshot; no foreign key is checked), loaded by COPY as found in branches/<bank_code>.json. UNLOGGED: emptied by crash recovery; re-stage from the source folder.';
COMMENT ON COLUMN zengin.snapshot_branches.snapshot_id IS 'Snapshot (zengin.snapshots).';
COMMENT ON COLUMN zengin.snapshot_branches.bank_code IS 'Bank code (the branch file name).';
COMMENT ON COLUMN zengin.snapshot_branches.branch_code IS 'Branch code as in the source.';
COMMENT ON COLUMN zengin.snapshot_branches.name IS 'Branch name as in the source.';
COMMENT ON COLUMN zengin.snapshot_branches.kana IS 'Katakana name as in the source.';
COMMENT ON COLUMN zengin.snapshot_branches.hira IS 'Hiragana name as in the source.';
COMMENT ON COLUMN zengin.snapshot_branches.roma IS 'Romanised name as in the source.';
