-- Foundation: the bbase housekeeping schema and the product's group roles.
--
-- Why: every other migration and every replaceable object assumes these
-- exist. Roles are cluster-wide, so they are created only when missing and
-- are deliberately NOT dropped on rollback (another database of the same
-- cluster may hold grants to them).

CREATE SCHEMA bbase;

COMMENT ON SCHEMA bbase IS
'Housekeeping for the bbase installation itself: which replaceable objects (sql/) were replayed, and shared helpers.';

CREATE TABLE bbase.replaceable_objects (
    path text PRIMARY KEY,
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    migration_state text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE bbase.replaceable_objects IS
'One row per replaceable object file under sql/ last replayed by bbase migrate; a file is replayed again when its checksum or the set of applied migrations changes.';
COMMENT ON COLUMN bbase.replaceable_objects.path IS 'File path relative to the project root, e.g. sql/functions/zengin/approve_diff.sql.';
COMMENT ON COLUMN bbase.replaceable_objects.sha256 IS 'SHA-256 of the file as replayed.';
COMMENT ON COLUMN bbase.replaceable_objects.migration_state IS 'md5 of the applied yoyo migration hashes when replayed; a different state forces a full replay.';
COMMENT ON COLUMN bbase.replaceable_objects.applied_at IS 'When the file was last replayed.';

DO $roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['bbase_sync', 'bbase_operator', 'bbase_reviewer', 'bbase_readonly']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = v_role) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
        END IF;
    END LOOP;
END
$roles$;

REVOKE ALL ON SCHEMA bbase FROM PUBLIC;

-- Functions are not executable by PUBLIC unless a grant says so
-- (PostgreSQL's default is the opposite). Grants are made explicitly per role.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
