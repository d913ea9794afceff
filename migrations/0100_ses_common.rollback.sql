-- Roll back the SES common machinery. The SES roles stay: they are cluster-wide.
-- The context migrations (which depend on this one) are rolled back first.
DROP SCHEMA ses_common CASCADE;
