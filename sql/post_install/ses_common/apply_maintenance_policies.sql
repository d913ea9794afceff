-- requires: sql/functions/ses_common/apply_maintenance_policies.sql
-- Why: the one place the owner's maintenance policy is put on every SES table
-- and partition, and row-level security enabled and forced where a later
-- migration added a table without it (see the function for why). Replayed by
-- `bbase migrate` after every change of the applied migrations; idempotent.
-- No COMMENT/GRANT here: this file creates no object of its own.
SELECT count(*) AS row_security_changes FROM ses_common.apply_maintenance_policies();
