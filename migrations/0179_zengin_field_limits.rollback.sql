-- Roll back the field limits: constraints, the limit functions, the stricter
-- diff id rule (the 0176 rule returns) and staged_records.item_error.
ALTER TABLE zengin_sync.staged_records DROP COLUMN item_error;

CREATE OR REPLACE FUNCTION zengin.is_diff_id(p_id text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN p_id ~ '^diff-[0-9]{8}-[0-9]{3,}$';

COMMENT ON FUNCTION zengin.is_diff_id(text) IS
'True when p_id is a diff id: diff-YYYYMMDD-NNN, the creation day (UTC) and a per-day sequence of at least 3 digits (zengin.next_diff_ids makes them); NULL for NULL. The rule behind the CHECK diffs_id_format and zengin_sync.check_record.';

ALTER TABLE zengin.diffs
DROP CONSTRAINT diffs_id_format,
ADD CONSTRAINT diffs_id_format CHECK (zengin.is_diff_id(id));

COMMENT ON COLUMN zengin.diffs.id IS
'diff-YYYYMMDD-NNN (rule: zengin.is_diff_id): creation day (UTC) and a per-day sequence of at least 3 digits (DynamoDB partition key).';

ALTER TABLE zengin.snapshot_branches
DROP CONSTRAINT snapshot_branches_name_length,
DROP CONSTRAINT snapshot_branches_kana_length,
DROP CONSTRAINT snapshot_branches_hira_length,
DROP CONSTRAINT snapshot_branches_roma_length;

ALTER TABLE zengin.snapshot_banks
DROP CONSTRAINT snapshot_banks_name_length,
DROP CONSTRAINT snapshot_banks_kana_length,
DROP CONSTRAINT snapshot_banks_hira_length,
DROP CONSTRAINT snapshot_banks_roma_length;

ALTER TABLE zengin.branches
DROP CONSTRAINT branches_name_length,
DROP CONSTRAINT branches_kana_length,
DROP CONSTRAINT branches_hira_length,
DROP CONSTRAINT branches_roma_length;

ALTER TABLE zengin.banks
DROP CONSTRAINT banks_name_length,
DROP CONSTRAINT banks_kana_length,
DROP CONSTRAINT banks_hira_length,
DROP CONSTRAINT banks_roma_length;

COMMENT ON COLUMN zengin.banks.name IS 'Bank name as published by Zengin, e.g. みずほ; never blank.';
COMMENT ON COLUMN zengin.banks.kana IS 'Bank name in full-width katakana as used in Zengin files (may contain －, ．, full-width Latin capitals and digits, ideographic space).';
COMMENT ON COLUMN zengin.banks.hira IS 'Bank name in hiragana (from the source data, else derived by zengin.hira_from_kana).';
COMMENT ON COLUMN zengin.banks.roma IS 'Bank name romanised, e.g. mizuho; NULL when the source gives none.';
COMMENT ON COLUMN zengin.branches.name IS 'Branch name, e.g. 本店; never blank.';
COMMENT ON COLUMN zengin.branches.kana IS 'Branch name in full-width katakana as used in Zengin files.';
COMMENT ON COLUMN zengin.branches.hira IS 'Branch name in hiragana (from the source data, else derived by zengin.hira_from_kana).';
COMMENT ON COLUMN zengin.branches.roma IS 'Branch name romanised; NULL when the source gives none.';

DROP FUNCTION zengin.is_within_name_limit(text);
DROP FUNCTION zengin.name_length_limit();
