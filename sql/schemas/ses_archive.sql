-- Schema-level settings for ses_archive (rows moved out of the live SES tables). Replayed by bbase migrate.
-- Why: grants on schemas are not data, so they live here, idempotent, not in migrations.
-- Admins only: the archive holds copies of every kind of SES row, outside
-- row-level security (the Zengin roles lost it in migration 0180).
COMMENT ON SCHEMA ses_archive IS
'Rows moved out of the live SES tables by ses_common.archive_old_data: one jsonb copy per row, with where it came from and when it was moved.';

GRANT USAGE ON SCHEMA ses_archive TO ses_admin_role;
