-- Undo 0051.
ALTER TABLE zengin_sync.remote_records DROP COLUMN gone_at;
