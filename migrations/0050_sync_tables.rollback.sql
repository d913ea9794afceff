-- Undo 0050: the sync job's schema and everything in it.
DROP SCHEMA zengin_sync CASCADE;
