-- Undo 0014: put the record index of zengin.diff_items back.
CREATE INDEX diff_items_record_idx ON zengin.diff_items (target, bank_code, branch_code);
