-- requires: sql/functions/ses_common/refresh_bank_holidays.sql
-- Why: the transfer file needs the bank calendar of its payment date; a fresh
-- install covers this year and the next two at once (maintenance keeps it so,
-- bbase.run_maintenance). Only where migration 0185 made the calendar tables
-- (an SES context installed alone from its own block has none).
-- No COMMENT/GRANT here: this file creates no object of its own.
SELECT ses_common.refresh_bank_holidays(y.year, y.year + 2) AS bank_holidays_written
FROM (SELECT pg_catalog.date_part('year', pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::integer AS year) AS y
WHERE pg_catalog.to_regclass('ses_common.bank_calendar_years') IS NOT NULL;
