-- Roll back the diff records.
DROP TABLE zengin.diff_day_counters;
DROP TABLE zengin.diff_items;
DROP TABLE zengin.diffs;
