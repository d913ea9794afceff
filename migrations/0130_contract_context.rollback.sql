-- Roll back contract_context: its declared references, then the schema with its tables.
DELETE FROM ses_common.cross_context_references WHERE source_schema = 'contract_context';
DROP SCHEMA contract_context CASCADE;
