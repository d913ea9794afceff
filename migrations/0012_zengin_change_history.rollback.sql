-- Roll back the change history (all partitions go with the parent).
DROP TABLE zengin.change_history;
