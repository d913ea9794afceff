-- Roll back engineer_context: its tables go with the schema.
DROP SCHEMA engineer_context CASCADE;
