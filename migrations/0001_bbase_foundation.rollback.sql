-- Roll back the foundation. Roles stay: they are cluster-wide (see the migration).
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
DROP SCHEMA bbase CASCADE;
