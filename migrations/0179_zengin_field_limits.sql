-- depends: 0178_zengin_crash_safe_staging
-- Field length limits on the Zengin master and its staging; diff ids name a
-- real day and a sequence that fits; pulled records can carry why they could
-- not be converted.
--
-- Why: the design document gives names and kana as VARCHAR(100), but the
-- columns were unbounded text: a 400 KB name from DynamoDB reached the master
-- and could then never be written back (DynamoDB's item limit). The limit is
-- one function (zengin.name_length_limit) behind one predicate
-- (zengin.is_within_name_limit); the CHECK constraints here, the validation
-- triggers, the staging check and the sync's record check all call it. Both
-- live in this migration, not under sql/, because constraints depend on them.
-- Columns stay text (a varchar(100) cast would fail before the validation
-- trigger could name the field and the value); the real data (zengin-code
-- 20250629, 20260824) is at most 30 characters in any of these columns.
--
-- zengin.is_diff_id accepted diff-20261399-001 and sequences beyond int4;
-- both then failed inside the sync's merge (to_date, ::integer) and stopped
-- every run. The rule now also requires a calendar day (year 0001-9999) and a
-- sequence of 3 to 10 digits, at most 2147483647 (so an id is at most 24
-- characters: a hostile id padded with zeros cannot overflow an index row);
-- the CHECK diffs_id_format is revalidated.
--
-- zengin_sync.staged_records.item_error: an item the glue cannot convert
-- faithfully (a NUL character, which PostgreSQL text cannot hold, text that
-- is not UTF-8, a malformed attribute value) is staged with a printable copy
-- and the reason, so the merge quarantines it instead of the COPY failing.

CREATE FUNCTION zengin.name_length_limit()
RETURNS integer
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN 100;

COMMENT ON FUNCTION zengin.name_length_limit() IS
'The most characters a bank or branch name, kana, hira or roma may have: 100 (the design document''s VARCHAR(100)). The one place of the limit.';

CREATE FUNCTION zengin.is_within_name_limit(p_value text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN pg_catalog.char_length(p_value) <= zengin.name_length_limit();

COMMENT ON FUNCTION zengin.is_within_name_limit(text) IS
'True when p_value has at most zengin.name_length_limit() characters; NULL for NULL. The rule behind the *_length CHECK constraints of zengin.banks, zengin.branches and the snapshot staging tables.';

GRANT EXECUTE ON FUNCTION zengin.name_length_limit(), zengin.is_within_name_limit(text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;

ALTER TABLE zengin.banks
ADD CONSTRAINT banks_name_length CHECK (zengin.is_within_name_limit(name)) NOT VALID,
ADD CONSTRAINT banks_kana_length CHECK (zengin.is_within_name_limit(kana)) NOT VALID,
ADD CONSTRAINT banks_hira_length CHECK (zengin.is_within_name_limit(hira)) NOT VALID,
ADD CONSTRAINT banks_roma_length CHECK (zengin.is_within_name_limit(roma)) NOT VALID;

ALTER TABLE zengin.branches
ADD CONSTRAINT branches_name_length CHECK (zengin.is_within_name_limit(name)) NOT VALID,
ADD CONSTRAINT branches_kana_length CHECK (zengin.is_within_name_limit(kana)) NOT VALID,
ADD CONSTRAINT branches_hira_length CHECK (zengin.is_within_name_limit(hira)) NOT VALID,
ADD CONSTRAINT branches_roma_length CHECK (zengin.is_within_name_limit(roma)) NOT VALID;

ALTER TABLE zengin.snapshot_banks
ADD CONSTRAINT snapshot_banks_name_length CHECK (zengin.is_within_name_limit(name)) NOT VALID,
ADD CONSTRAINT snapshot_banks_kana_length CHECK (zengin.is_within_name_limit(kana)) NOT VALID,
ADD CONSTRAINT snapshot_banks_hira_length CHECK (zengin.is_within_name_limit(hira)) NOT VALID,
ADD CONSTRAINT snapshot_banks_roma_length CHECK (zengin.is_within_name_limit(roma)) NOT VALID;

ALTER TABLE zengin.snapshot_branches
ADD CONSTRAINT snapshot_branches_name_length CHECK (zengin.is_within_name_limit(name)) NOT VALID,
ADD CONSTRAINT snapshot_branches_kana_length CHECK (zengin.is_within_name_limit(kana)) NOT VALID,
ADD CONSTRAINT snapshot_branches_hira_length CHECK (zengin.is_within_name_limit(hira)) NOT VALID,
ADD CONSTRAINT snapshot_branches_roma_length CHECK (zengin.is_within_name_limit(roma)) NOT VALID;

ALTER TABLE zengin.banks VALIDATE CONSTRAINT banks_name_length;
ALTER TABLE zengin.banks VALIDATE CONSTRAINT banks_kana_length;
ALTER TABLE zengin.banks VALIDATE CONSTRAINT banks_hira_length;
ALTER TABLE zengin.banks VALIDATE CONSTRAINT banks_roma_length;
ALTER TABLE zengin.branches VALIDATE CONSTRAINT branches_name_length;
ALTER TABLE zengin.branches VALIDATE CONSTRAINT branches_kana_length;
ALTER TABLE zengin.branches VALIDATE CONSTRAINT branches_hira_length;
ALTER TABLE zengin.branches VALIDATE CONSTRAINT branches_roma_length;
ALTER TABLE zengin.snapshot_banks VALIDATE CONSTRAINT snapshot_banks_name_length;
ALTER TABLE zengin.snapshot_banks VALIDATE CONSTRAINT snapshot_banks_kana_length;
ALTER TABLE zengin.snapshot_banks VALIDATE CONSTRAINT snapshot_banks_hira_length;
ALTER TABLE zengin.snapshot_banks VALIDATE CONSTRAINT snapshot_banks_roma_length;
ALTER TABLE zengin.snapshot_branches VALIDATE CONSTRAINT snapshot_branches_name_length;
ALTER TABLE zengin.snapshot_branches VALIDATE CONSTRAINT snapshot_branches_kana_length;
ALTER TABLE zengin.snapshot_branches VALIDATE CONSTRAINT snapshot_branches_hira_length;
ALTER TABLE zengin.snapshot_branches VALIDATE CONSTRAINT snapshot_branches_roma_length;

COMMENT ON COLUMN zengin.banks.name IS 'Bank name as published by Zengin, e.g. みずほ; never blank; at most zengin.name_length_limit() (100) characters.';
COMMENT ON COLUMN zengin.banks.kana IS 'Bank name in full-width katakana as used in Zengin files (may contain －, ．, full-width Latin capitals and digits, ideographic space); at most 100 characters.';
COMMENT ON COLUMN zengin.banks.hira IS 'Bank name in hiragana (from the source data, else derived by zengin.hira_from_kana); at most 100 characters.';
COMMENT ON COLUMN zengin.banks.roma IS 'Bank name romanised, e.g. mizuho; NULL when the source gives none; at most 100 characters.';
COMMENT ON COLUMN zengin.branches.name IS 'Branch name, e.g. 本店; never blank; at most zengin.name_length_limit() (100) characters.';
COMMENT ON COLUMN zengin.branches.kana IS 'Branch name in full-width katakana as used in Zengin files; at most 100 characters.';
COMMENT ON COLUMN zengin.branches.hira IS 'Branch name in hiragana (from the source data, else derived by zengin.hira_from_kana); at most 100 characters.';
COMMENT ON COLUMN zengin.branches.roma IS 'Branch name romanised; NULL when the source gives none; at most 100 characters.';

CREATE OR REPLACE FUNCTION zengin.is_diff_id(p_id text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN CASE
    WHEN p_id IS NULL THEN NULL
    WHEN p_id !~ '^diff-[0-9]{8}-[0-9]{3,10}$' THEN FALSE
    ELSE pg_catalog.substr(p_id, 6, 4)::integer >= 1
    AND pg_catalog.substr(p_id, 10, 2)::integer BETWEEN 1 AND 12
    AND pg_catalog.substr(p_id, 12, 2)::integer BETWEEN 1 AND CASE pg_catalog.substr(p_id, 10, 2)::integer
        WHEN 2 THEN CASE
            WHEN pg_catalog.substr(p_id, 6, 4)::integer % 400 = 0 THEN 29
            WHEN pg_catalog.substr(p_id, 6, 4)::integer % 100 = 0 THEN 28
            WHEN pg_catalog.substr(p_id, 6, 4)::integer % 4 = 0 THEN 29
            ELSE 28
        END
        WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
        ELSE 31
    END
    AND pg_catalog.lpad(pg_catalog.substr(p_id, 15), 10, '0') COLLATE "C" <= '2147483647'
END;

COMMENT ON FUNCTION zengin.is_diff_id(text) IS
'True when p_id is a diff id: diff-YYYYMMDD-NNN, the creation day (UTC; a calendar day, year 0001-9999) and a per-day sequence of 3 to 10 digits, at most 2147483647 (zengin.next_diff_ids makes them); NULL for NULL. The rule behind the CHECK diffs_id_format and zengin_sync.check_record.';

ALTER TABLE zengin.diffs
DROP CONSTRAINT diffs_id_format,
ADD CONSTRAINT diffs_id_format CHECK (zengin.is_diff_id(id)) NOT VALID;

ALTER TABLE zengin.diffs VALIDATE CONSTRAINT diffs_id_format;

COMMENT ON COLUMN zengin.diffs.id IS
'diff-YYYYMMDD-NNN (rule: zengin.is_diff_id): creation day (UTC, a calendar day) and a per-day sequence of 3 to 10 digits, at most 2147483647 (DynamoDB partition key).';

ALTER TABLE zengin_sync.staged_records ADD COLUMN item_error text;

COMMENT ON COLUMN zengin_sync.staged_records.item_error IS
'Why the glue could not convert the item faithfully (a NUL character, text that is not UTF-8, a malformed attribute value), naming the attribute; item and plain then hold a printable copy (NUL shown as U+2400). The merge quarantines such a record. NULL for a converted item.';
