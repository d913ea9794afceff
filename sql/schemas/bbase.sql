-- Schema-level settings for bbase (housekeeping). Replayed by bbase migrate.
-- Why: grants on schemas are not data, so they live here, idempotent, not in migrations.
COMMENT ON SCHEMA bbase IS
'Housekeeping for the bbase installation itself: which replaceable objects (sql/) were replayed, and shared helpers.';

GRANT USAGE ON SCHEMA bbase TO bbase_operator, bbase_readonly;
-- The scheduled job calls bbase.run_maintenance().
GRANT USAGE ON SCHEMA bbase TO bbase_sync;
GRANT SELECT ON bbase.replaceable_objects TO bbase_operator, bbase_readonly;
