-- Roll back project_context: its tables go with the schema.
DROP SCHEMA project_context CASCADE;
