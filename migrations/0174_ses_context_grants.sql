-- depends: 0173_ses_foreign_key_indexes
-- Which role gets which privileges on which SES context, as data.
--
-- Why a table: the same role x context grant block used to be copied into the
-- eight sql/schemas/<context>.sql files. Here each grant is one row, checked
-- by constraints, and ses_common.apply_context_grants (a replayable function,
-- called once by sql/post_install/ses_common/apply_context_grants.sql) makes
-- the catalog match it: USAGE on the schema for every row, the row's table
-- privileges on every table of the schema (partitioned parents, not their
-- partitions: access goes through the parent), and nothing else for the roles
-- named here. No default privileges: a table added by a later migration gets
-- its grants on the replay that follows that migration.
-- The rows are the grants the copied blocks made, unchanged: admin everything,
-- project managers their contexts, finance billing, bbase_operator and
-- bbase_readonly read; ses_engineer_role and ses_customer_role get USAGE only,
-- because until row-level security narrows rows a table grant would show
-- them every engineer's or customer's rows.

CREATE TABLE ses_common.context_grants (
    schema_name name NOT NULL,
    role_name name NOT NULL,
    table_privileges text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (schema_name, role_name),
    CONSTRAINT context_grants_schema_is_a_context
    CHECK (schema_name ~ '^[a-z][a-z0-9_]*_context$'),
    CONSTRAINT context_grants_role_is_a_role
    CHECK (role_name <> '' AND lower(role_name) <> 'public' AND role_name !~ '^pg_'),
    CONSTRAINT context_grants_table_privileges_known
    CHECK (
        coalesce(array_ndims(table_privileges), 1) = 1
        AND table_privileges <@ ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']
    )
);

COMMENT ON TABLE ses_common.context_grants IS
'The grants of the SES roles on the *_context schemas, one row per role and schema: the row gives USAGE on the schema and table_privileges on every table of it (partitioned parents, not partitions). ses_common.apply_context_grants() makes the catalog match: it grants what a row says and revokes from every role named here what no row says. Change a row, then run SELECT * FROM ses_common.apply_context_grants(); (bbase migrate runs it after every migration).';
COMMENT ON COLUMN ses_common.context_grants.schema_name IS
'An SES context schema (<name>_context). A row for a context not installed in this database is kept and applied once it is.';
COMMENT ON COLUMN ses_common.context_grants.role_name IS
'The role granted to (not PUBLIC, not a pg_ role). Every role named in this table is managed: on a context it has no row for, it gets nothing.';
COMMENT ON COLUMN ses_common.context_grants.table_privileges IS
'Table privileges on every table of the schema (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER); empty means schema USAGE only.';

INSERT INTO ses_common.context_grants (schema_name, role_name, table_privileges)
SELECT
    c.schema_name,
    g.role_name,
    g.table_privileges
FROM (
    VALUES
    ('project_context'), ('engineer_context'), ('matching_context'), ('contract_context'),
    ('timesheet_context'), ('billing_context'), ('report_context'), ('notification_context')
) AS c (schema_name)
CROSS JOIN (
    VALUES
    ('ses_admin_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('ses_engineer_role', ARRAY[]::text[]),
    ('ses_customer_role', ARRAY[]::text[]),
    ('bbase_operator', ARRAY['SELECT']),
    ('bbase_readonly', ARRAY['SELECT'])
) AS g (role_name, table_privileges);

INSERT INTO ses_common.context_grants (schema_name, role_name, table_privileges)
VALUES
('project_context', 'ses_project_manager_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
('project_context', 'ses_finance_role', ARRAY['SELECT']),
('engineer_context', 'ses_project_manager_role', ARRAY['SELECT']),
('engineer_context', 'ses_finance_role', ARRAY['SELECT']),
('matching_context', 'ses_project_manager_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
('matching_context', 'ses_finance_role', ARRAY[]::text[]),
('contract_context', 'ses_project_manager_role', ARRAY['SELECT', 'INSERT', 'UPDATE']),
('contract_context', 'ses_finance_role', ARRAY['SELECT']),
('timesheet_context', 'ses_project_manager_role', ARRAY['SELECT', 'UPDATE']),
('timesheet_context', 'ses_finance_role', ARRAY['SELECT']),
('billing_context', 'ses_project_manager_role', ARRAY[]::text[]),
('billing_context', 'ses_finance_role', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
('report_context', 'ses_project_manager_role', ARRAY['SELECT']),
('report_context', 'ses_finance_role', ARRAY['SELECT']),
('notification_context', 'ses_project_manager_role', ARRAY['SELECT']),
('notification_context', 'ses_finance_role', ARRAY['SELECT']);

GRANT SELECT ON ses_common.context_grants TO ses_admin_role, bbase_operator, bbase_readonly;
