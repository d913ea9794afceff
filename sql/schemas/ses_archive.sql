-- Schema-level settings for ses_archive (rows moved out of the live SES tables). Replayed by bbase migrate.
-- Why: grants on schemas are not data, so they live here, idempotent, not in migrations.
COMMENT ON SCHEMA ses_archive IS
'Rows moved out of the live SES tables by ses_common.archive_old_data: one jsonb copy per row, with where it came from and when it was moved.';

GRANT USAGE ON SCHEMA ses_archive TO bbase_operator, bbase_readonly;
