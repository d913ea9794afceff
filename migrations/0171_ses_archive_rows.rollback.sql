-- Roll back the archive store. Its rows go with it: take a backup
-- (scripts/backup.sh) first if they matter.
DROP TABLE ses_archive.archived_rows;
