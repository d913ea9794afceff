-- Schema-level settings for zengin_sync (the DynamoDB/S3 sync job). Replayed by bbase migrate.
-- Why: the job's role bbase_sync may write the staging table and call the
-- functions it needs, nothing more; operators read everything here.
COMMENT ON SCHEMA zengin_sync IS
'The DynamoDB/S3 sync job: run log, staging, last-seen remote state, quarantine and write-back outbox.';

GRANT USAGE ON SCHEMA zengin_sync TO bbase_sync, bbase_operator, bbase_readonly;
GRANT INSERT ON zengin_sync.staged_records TO bbase_sync;
GRANT SELECT ON zengin_sync.runs, zengin_sync.quarantine, zengin_sync.writebacks, zengin_sync.remote_records
TO bbase_sync, bbase_operator, bbase_readonly;
GRANT SELECT ON zengin_sync.staged_records TO bbase_operator, bbase_readonly;
