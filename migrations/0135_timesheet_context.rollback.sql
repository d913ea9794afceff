-- Roll back timesheet_context: its declared references and partitioning plan,
-- then the schema with its tables and partitions.
DELETE FROM ses_common.cross_context_references WHERE source_schema = 'timesheet_context';
DELETE FROM ses_common.partitioned_tables WHERE table_schema = 'timesheet_context';
DROP SCHEMA timesheet_context CASCADE;
