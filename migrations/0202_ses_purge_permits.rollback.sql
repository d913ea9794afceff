-- Roll back the purge permits: the table goes (the sql/ files of before read
-- the setting ses_common.allow_purge again).
DROP TABLE IF EXISTS ses_common.purge_permits;
