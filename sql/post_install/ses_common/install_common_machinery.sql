-- requires: sql/functions/ses_common/attach_common_triggers.sql
-- requires: sql/functions/ses_common/create_partitions_ahead.sql
-- Why: the one place the common SES machinery is put in place, replayed by
-- `bbase migrate` (and yoyo's post-apply hook) after every change of the
-- applied migrations, so every table of every *_context schema, including one
-- a later migration adds, carries the common triggers, and the partitioned
-- tables have their partitions around today.
-- Both calls are idempotent and take no lock when nothing is missing.
-- No COMMENT/GRANT here: this file creates no object of its own; the
-- triggers and partitions it creates are documented by the functions.
SELECT count(*) AS triggers_changed FROM ses_common.attach_common_triggers();

SELECT count(*) AS partitions_created FROM ses_common.create_partitions_ahead();
