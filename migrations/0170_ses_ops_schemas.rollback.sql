-- Roll back the SES operations schemas (and the views replayed into them).
DROP SCHEMA ses_archive CASCADE;
DROP SCHEMA ses_monitoring CASCADE;
