-- Roll back matching_context: its declared references, then the schema with its tables.
DELETE FROM ses_common.cross_context_references WHERE source_schema = 'matching_context';
DROP SCHEMA matching_context CASCADE;
