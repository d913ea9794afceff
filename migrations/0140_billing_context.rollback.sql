-- Roll back billing_context: its declared references and partitioning plan,
-- then the schema with its tables and partitions.
DELETE FROM ses_common.cross_context_references WHERE source_schema = 'billing_context';
DELETE FROM ses_common.partitioned_tables WHERE table_schema = 'billing_context';
DROP SCHEMA billing_context CASCADE;
