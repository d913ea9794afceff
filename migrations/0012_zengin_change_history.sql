-- depends: 0011_zengin_diffs
-- Change history of the Zengin master, partitioned by month.
--
-- Why: every change to banks/branches must be traceable for one year (design
-- document). Monthly partitions make retention a DROP of whole partitions.
-- The primary key includes the partition key (changed_at), as PostgreSQL
-- requires. Partitions ahead are created by zengin.create_change_history_partitions
-- (maintenance); this migration creates the current month and the next two
-- so a fresh install can record changes at once. Codes use COLLATE "C" like
-- the master; there is no index on diff_id: history is read by record
-- (change_history_record_idx), and a full load writes ~30,000 rows at once.

CREATE TABLE zengin.change_history (
    id bigint GENERATED ALWAYS AS IDENTITY,
    changed_at timestamptz NOT NULL DEFAULT now(),
    diff_id text,
    operation text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    table_name text NOT NULL CHECK (table_name IN ('banks', 'branches')),
    bank_code text COLLATE "C" NOT NULL,
    branch_code text COLLATE "C",
    record_key text NOT NULL,
    old_values jsonb,
    new_values jsonb,
    changed_fields text[] NOT NULL DEFAULT '{}',
    db_user text NOT NULL DEFAULT current_user,
    txid bigint NOT NULL DEFAULT txid_current(),
    PRIMARY KEY (id, changed_at)
) PARTITION BY RANGE (changed_at);

COMMENT ON TABLE zengin.change_history IS
'Every insert, update and delete on zengin.banks and zengin.branches, recorded by statement triggers, from a diff or by hand. Partitioned by month (zengin.change_history_YYYYMM); kept one year (zengin.enforce_change_history_retention drops older partitions).';
COMMENT ON COLUMN zengin.change_history.id IS 'Surrogate key (with changed_at the primary key).';
COMMENT ON COLUMN zengin.change_history.changed_at IS 'When the change happened (transaction time); the partition key.';
COMMENT ON COLUMN zengin.change_history.diff_id IS 'Diff that made the change (setting zengin.diff_id); NULL for a manual edit.';
COMMENT ON COLUMN zengin.change_history.operation IS 'INSERT, UPDATE or DELETE.';
COMMENT ON COLUMN zengin.change_history.table_name IS 'banks or branches.';
COMMENT ON COLUMN zengin.change_history.bank_code IS 'Bank code of the changed record.';
COMMENT ON COLUMN zengin.change_history.branch_code IS 'Branch code of the changed record (NULL for a bank).';
COMMENT ON COLUMN zengin.change_history.record_key IS 'Record key: bank code, or bank code-branch code (0001-001).';
COMMENT ON COLUMN zengin.change_history.old_values IS 'The row before the change (NULL for an INSERT).';
COMMENT ON COLUMN zengin.change_history.new_values IS 'The row after the change (NULL for a DELETE).';
COMMENT ON COLUMN zengin.change_history.changed_fields IS 'Columns whose value changed (all data columns for INSERT/DELETE).';
COMMENT ON COLUMN zengin.change_history.db_user IS 'Database user who made the change (session user).';
COMMENT ON COLUMN zengin.change_history.txid IS 'Transaction id of the change.';

CREATE INDEX change_history_record_idx ON zengin.change_history (bank_code, branch_code, changed_at);

-- Month boundaries are UTC midnights, whatever the session time zone.
DO $partitions$
DECLARE
    v_month date;
BEGIN
    FOR v_i IN 0..2 LOOP
        v_month := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => v_i))::date;
        EXECUTE format(
            'CREATE TABLE %I.%I PARTITION OF zengin.change_history FOR VALUES FROM (%L) TO (%L)',
            'zengin', 'change_history_' || to_char(v_month, 'YYYYMM'),
            to_char(v_month, 'YYYY-MM-DD') || ' 00:00:00+00',
            to_char(v_month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00'
        );
    END LOOP;
END
$partitions$;
