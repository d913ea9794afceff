-- depends: 0170_ses_ops_schemas
-- The archive store: rows moved out of the live SES tables by ses_common.archive_old_data.
--
-- Why one jsonb table and not one archive table per live table: the archive
-- must keep every column of a row even after a later migration adds columns
-- to the live table (a LIKE copy made today would silently drop them), and a
-- row is brought back with jsonb_populate_record(NULL::<table>, row_data).

CREATE TABLE ses_archive.archived_rows (
    archive_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_schema text NOT NULL,
    source_table text NOT NULL,
    source_id uuid NOT NULL,
    row_data jsonb NOT NULL CHECK (jsonb_typeof(row_data) = 'object'),
    archive_cutoff date NOT NULL,
    archived_at timestamptz NOT NULL DEFAULT now(),
    archived_by text NOT NULL DEFAULT current_user,
    CONSTRAINT archived_rows_source_id_matches_row CHECK (row_data ->> 'id' = source_id::text)
);

CREATE INDEX archived_rows_source_idx
ON ses_archive.archived_rows (source_schema, source_table, source_id);
CREATE INDEX archived_rows_archived_at_idx
ON ses_archive.archived_rows (archived_at);

COMMENT ON TABLE ses_archive.archived_rows IS
'One row per live SES row moved out by ses_common.archive_old_data (inserted here and purged from the live table in the same transaction). Bring one back with jsonb_populate_record(NULL::<schema>.<table>, row_data).';
COMMENT ON COLUMN ses_archive.archived_rows.archive_id IS 'Surrogate key, in archiving order.';
COMMENT ON COLUMN ses_archive.archived_rows.source_schema IS 'Schema of the live table the row came from, e.g. billing_context.';
COMMENT ON COLUMN ses_archive.archived_rows.source_table IS 'Live table the row came from, e.g. invoices (the parent, not the partition).';
COMMENT ON COLUMN ses_archive.archived_rows.source_id IS 'The row''s id in the live table.';
COMMENT ON COLUMN ses_archive.archived_rows.row_data IS 'Every column of the row as it was when moved (to_jsonb of the row).';
COMMENT ON COLUMN ses_archive.archived_rows.archive_cutoff IS 'The cutoff date archive_old_data was called with.';
COMMENT ON COLUMN ses_archive.archived_rows.archived_at IS 'When the row was moved (transaction start).';
COMMENT ON COLUMN ses_archive.archived_rows.archived_by IS 'Role that ran archive_old_data.';

GRANT SELECT ON ses_archive.archived_rows TO bbase_operator, bbase_readonly;
