-- Roll back report_context: its partitioning plan, then the schema with its tables and partitions.
DELETE FROM ses_common.partitioned_tables WHERE table_schema = 'report_context';
DROP SCHEMA report_context CASCADE;
