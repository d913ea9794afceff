"""The SES roles' grants on the context schemas are data (ses_common.context_grants) applied by
ses_common.apply_context_grants: the catalog says exactly what the table says, a changed row
changes the grants, and the grants are the ones the eight copied GRANT blocks made before."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from bbase import migrate as mig
from tests.ses.conftest import install_subset

TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")

#: Every (role, schema or table, privilege) of the SES roles (those the table names and every
#: ses_* role) on every *_context schema and every table of it, partitions included, with what
#: the catalog says (has_*_privilege) and what ses_common.context_grants says. Partitions get
#: nothing: access goes through the parent.
EFFECTIVE_VS_TABLE_SQL = r"""
    WITH roles AS (
        SELECT DISTINCT role_name FROM ses_common.context_grants
        UNION
        SELECT rolname FROM pg_roles WHERE rolname ~ '^ses_'
    ), schemas AS (
        SELECT oid, nspname FROM pg_namespace WHERE nspname ~ '_context$'
    )
    SELECT r.role_name, s.nspname AS object, 'USAGE' AS privilege,
           has_schema_privilege(r.role_name, s.oid, 'USAGE') AS effective,
           g.role_name IS NOT NULL AS stated
    FROM roles r CROSS JOIN schemas s
    LEFT JOIN ses_common.context_grants g
      ON g.role_name = r.role_name AND g.schema_name = s.nspname
    UNION ALL
    SELECT r.role_name, c.oid::regclass::text, p.privilege,
           has_table_privilege(r.role_name, c.oid, p.privilege),
           NOT c.relispartition AND coalesce(p.privilege = ANY(g.table_privileges), false)
    FROM roles r CROSS JOIN schemas s
    JOIN pg_class c ON c.relnamespace = s.oid AND c.relkind IN ('r', 'p')
    CROSS JOIN unnest(%(privileges)s::text[]) AS p(privilege)
    LEFT JOIN ses_common.context_grants g
      ON g.role_name = r.role_name AND g.schema_name = s.nspname
"""

#: The direct grants (ACL entries, the owner's own left out) on the SES schemas and every
#: relation in them, one "kind|object|grantee|privilege|grantable" line each.
#: tests/ses/ses_privileges_0173.txt is this query's output on a database migrated (`bbase
#: migrate`) from commit 9644a6f, the last one with the copied GRANT blocks:
#:   psql "$DATABASE_URL" -At -c "$(python -c 'from tests.ses.test_context_grants import
#:   SES_ACL_SQL; print(SES_ACL_SQL)')" > tests/ses/ses_privileges_0173.txt
SES_ACL_SQL = r"""
WITH acls AS (
    SELECT 'schema' AS kind, n.nspname::text AS obj, n.nspacl AS acl, n.nspowner AS owner
    FROM pg_namespace AS n
    WHERE n.nspname LIKE '%\_context'
       OR n.nspname IN ('ses_common', 'ses_monitoring', 'ses_archive')
    UNION ALL
    SELECT 'rel:' || c.relkind::text, c.oid::regclass::text, c.relacl, c.relowner
    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname LIKE '%\_context'
       OR n.nspname IN ('ses_common', 'ses_monitoring', 'ses_archive')
)
SELECT concat_ws('|', acls.kind, acls.obj,
                 CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE e.grantee::regrole::text END,
                 e.privilege_type, e.is_grantable::text) AS line
FROM acls CROSS JOIN LATERAL aclexplode(acls.acl) AS e
WHERE e.grantee <> acls.owner
ORDER BY 1
"""

BEFORE = Path(__file__).with_name("ses_privileges_0173.txt")


def _mismatches(db: psycopg.Connection) -> list[tuple[str, str, str, bool, bool]]:
    rows = db.execute(EFFECTIVE_VS_TABLE_SQL, {"privileges": list(TABLE_PRIVILEGES)}).fetchall()
    assert rows, "no SES role or context schema found"
    return sorted(r for r in rows if r[3] != r[4])


def _apply(db: psycopg.Connection, schema: str | None = None) -> list[str]:
    return [r[0] for r in db.execute("SELECT * FROM ses_common.apply_context_grants(%s)",
                                     (schema,))]


def _has(db: psycopg.Connection, role: str, table: str, privilege: str) -> bool:
    return db.execute("SELECT has_table_privilege(%s, %s::regclass, %s)",
                      (role, table, privilege)).fetchone()[0]


def test_effective_privileges_of_every_ses_role_on_every_context_table_are_what_the_table_states(
    db: psycopg.Connection,
) -> None:
    tables = db.execute(r"SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                        r"ON n.oid = c.relnamespace WHERE n.nspname LIKE '%\_context' "
                        r"AND c.relkind IN ('r', 'p')").fetchone()[0]
    assert tables >= 40
    assert _mismatches(db) == []


def test_every_context_schema_has_rows_for_the_five_ses_roles(db: psycopg.Connection) -> None:
    missing = db.execute(r"""
        SELECT n.nspname, r.rolname FROM pg_namespace n CROSS JOIN pg_roles r
        WHERE n.nspname LIKE '%\_context' AND r.rolname LIKE 'ses\_%\_role'
          AND NOT EXISTS (SELECT FROM ses_common.context_grants g
                          WHERE g.schema_name = n.nspname AND g.role_name = r.rolname)
    """).fetchall()
    assert missing == []


def test_applying_the_grants_again_changes_nothing(db: psycopg.Connection) -> None:
    assert _apply(db) == []


def test_narrowing_a_row_revokes_the_privileges_it_no_longer_lists(db: psycopg.Connection) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{SELECT}' "
               "WHERE schema_name = 'billing_context' AND role_name = 'ses_finance_role'")
    assert _has(db, "ses_finance_role", "billing_context.invoices", "INSERT")
    assert ("ses_finance_role", "billing_context.invoices", "INSERT", True, False) \
        in _mismatches(db)
    changed = _apply(db, "billing_context")
    assert "REVOKE INSERT, UPDATE, DELETE ON TABLE billing_context.invoices FROM ses_finance_role" \
        in changed
    assert not _has(db, "ses_finance_role", "billing_context.invoices", "INSERT")
    assert _has(db, "ses_finance_role", "billing_context.invoices", "SELECT")
    assert _mismatches(db) == []


def test_widening_a_row_grants_the_privileges_it_adds(db: psycopg.Connection) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{SELECT}' "
               "WHERE schema_name = 'project_context' AND role_name = 'ses_engineer_role'")
    _apply(db)
    assert _has(db, "ses_engineer_role", "project_context.projects", "SELECT")
    assert not _has(db, "ses_engineer_role", "project_context.projects", "UPDATE")
    assert _mismatches(db) == []


def test_deleting_a_row_revokes_schema_usage_and_every_table_privilege(
    db: psycopg.Connection,
) -> None:
    db.execute("DELETE FROM ses_common.context_grants "
               "WHERE schema_name = 'contract_context' AND role_name = 'ses_project_manager_role'")
    changed = _apply(db)
    assert "REVOKE USAGE ON SCHEMA contract_context FROM ses_project_manager_role" in changed
    assert not db.execute("SELECT has_schema_privilege('ses_project_manager_role', "
                          "'contract_context', 'USAGE')").fetchone()[0]
    assert not _has(db, "ses_project_manager_role", "contract_context.contracts", "SELECT")
    assert _mismatches(db) == []


def test_a_schema_argument_changes_that_schema_only(db: psycopg.Connection) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{}' "
               "WHERE role_name = 'bbase_readonly' "
               "AND schema_name IN ('report_context', 'project_context')")
    _apply(db, "report_context")
    assert not _has(db, "bbase_readonly", "report_context.dashboards", "SELECT")
    assert _has(db, "bbase_readonly", "project_context.projects", "SELECT")


def test_a_table_added_later_gets_the_grants_of_its_schema(db: psycopg.Connection) -> None:
    db.execute("CREATE TABLE project_context.added_later (id integer)")
    _apply(db)
    assert _has(db, "ses_project_manager_role", "project_context.added_later", "DELETE")
    assert _has(db, "ses_finance_role", "project_context.added_later", "SELECT")
    assert not _has(db, "ses_finance_role", "project_context.added_later", "INSERT")
    assert not _has(db, "ses_customer_role", "project_context.added_later", "SELECT")
    assert _mismatches(db) == []


def test_roles_the_table_does_not_name_keep_their_grants(db: psycopg.Connection) -> None:
    db.execute("GRANT SELECT ON project_context.projects TO bbase_sync")
    _apply(db)
    assert _has(db, "bbase_sync", "project_context.projects", "SELECT")


def test_materialized_views_keep_their_grants(db: psycopg.Connection) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{}' "
               "WHERE role_name = 'bbase_readonly' AND schema_name = 'report_context'")
    _apply(db)
    assert _has(db, "bbase_readonly", "report_context.monthly_revenue_stats", "SELECT")


@pytest.mark.parametrize("schema", ["zengin", "ses_common", "no_such_context", ""])
def test_a_schema_that_is_not_an_installed_context_is_refused_with_se005(
    db: psycopg.Connection, schema: str
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        _apply(db, schema)
    assert exc.value.sqlstate == "SE005"
    assert exc.value.diag.column_name == "p_schema"
    assert f"'{schema}'" in str(exc.value)


def test_a_row_naming_a_missing_role_is_refused_with_se005(db: psycopg.Connection) -> None:
    db.execute("INSERT INTO ses_common.context_grants (schema_name, role_name, table_privileges) "
               "VALUES ('project_context', 'no_such_role_x', '{SELECT}')")
    with pytest.raises(psycopg.Error) as exc:
        _apply(db)
    assert exc.value.sqlstate == "SE005"
    assert exc.value.diag.column_name == "role_name"
    assert "no_such_role_x" in str(exc.value)


@pytest.mark.parametrize(("schema", "role", "privileges"), [
    ("project_context", "ses_admin_role", "{SELECT,ALL}"),
    ("project_context", "ses_admin_role", "{select}"),
    ("project_context", "ses_admin_role", "{SELECT,NULL}"),
    ("project_context", "ses_admin_role", "{{SELECT}}"),
    ("project_context", "ses_admin_role", "{USAGE}"),
    ("project_context", "public", "{SELECT}"),
    ("project_context", "PUBLIC", "{SELECT}"),
    ("project_context", "pg_read_all_data", "{SELECT}"),
    ("project_context", "", "{SELECT}"),
    ("zengin", "ses_admin_role", "{SELECT}"),
    ("project_context; DROP", "ses_admin_role", "{SELECT}"),
])
def test_a_row_outside_the_rules_is_refused_with_check_violation_23514(
    db: psycopg.Connection, schema: str, role: str, privileges: str
) -> None:
    db.execute("DELETE FROM ses_common.context_grants")
    with pytest.raises(psycopg.errors.CheckViolation) as exc:  # SQLSTATE 23514
        db.execute("INSERT INTO ses_common.context_grants (schema_name, role_name, "
                   "table_privileges) VALUES (%s, %s, %s::text[])", (schema, role, privileges))
    assert exc.value.sqlstate == "23514"


def test_privileges_equal_those_the_copied_grant_blocks_made(db: psycopg.Connection) -> None:
    """Every object of the snapshot (taken before the grants became data) has exactly the
    grants it had then; objects added since are left to the other tests."""
    lines = BEFORE.read_text(encoding="utf-8").splitlines()
    before = {ln for ln in lines if ln and not ln.startswith("#")}
    objects = {ln.split("|")[1] for ln in before}
    assert {"project_context", "billing_context.invoices",
            "report_context.monthly_revenue_stats"} <= objects
    now = {r[0] for r in db.execute(SES_ACL_SQL)}
    assert {ln for ln in now if ln.split("|")[1] in objects} == before


def test_the_grant_table_is_read_by_the_roles_that_read_the_other_registries(
    db: psycopg.Connection,
) -> None:
    def readers(table: str) -> set[str]:
        return {r[0] for r in db.execute(
            "SELECT grantee FROM information_schema.role_table_grants "
            "WHERE table_schema = 'ses_common' AND table_name = %s AND privilege_type = 'SELECT' "
            "AND grantee <> grantor",
            (table,))}

    assert readers("context_grants") == readers("cross_context_references") == {
        "ses_admin_role", "bbase_operator", "bbase_readonly"}


@pytest.mark.commits
def test_a_context_installed_alone_gets_its_grants_with_migration_0174(empty_dsn: str) -> None:
    """Installed alone (foundation, ses_common, its own block), a context has no grant table;
    adding migration 0174 alone brings the table and the context's grants."""
    install_subset(empty_dsn, ["timesheet_context"])
    with psycopg.connect(empty_dsn) as conn:
        assert conn.execute("SELECT to_regclass('ses_common.context_grants')").fetchone()[0] is None
    mig.migrate(empty_dsn, only=["0174"], schemas=["bbase", "ses_common", "timesheet_context"])
    with psycopg.connect(empty_dsn) as conn:
        assert _has(conn, "ses_project_manager_role", "timesheet_context.timesheets", "UPDATE")
        assert not _has(conn, "ses_project_manager_role", "timesheet_context.timesheets", "INSERT")
        assert _mismatches(conn) == []
