-- depends: 0001_bbase_foundation
-- Placeholder for shared helpers' data; keeps the upgrade-path test meaningful from day one.
CREATE TABLE bbase.install_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note text NOT NULL,
    logged_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE bbase.install_log IS 'Notes left by maintenance runs (bbase migrate, partition maintenance).';
COMMENT ON COLUMN bbase.install_log.id IS 'Surrogate key.';
COMMENT ON COLUMN bbase.install_log.note IS 'What happened.';
COMMENT ON COLUMN bbase.install_log.logged_at IS 'When it happened.';
