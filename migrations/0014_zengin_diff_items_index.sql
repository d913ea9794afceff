-- depends: 0013_zengin_bulk_speed
-- Drop the (target, bank_code, branch_code) index of zengin.diff_items.
--
-- Why: diff_snapshot's "already in an open diff" check is a hash anti-join
-- that never uses it, and with fresh statistics the planner combined it with
-- the primary key in a BitmapAnd that read all 29,000 entries for every
-- executed diff. Items are always read by diff (the primary key's prefix).
DROP INDEX zengin.diff_items_record_idx;
