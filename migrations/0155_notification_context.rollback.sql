-- Roll back notification_context: its partitioning plan, then the schema with its tables and partitions.
DELETE FROM ses_common.partitioned_tables WHERE table_schema = 'notification_context';
DROP SCHEMA notification_context CASCADE;
