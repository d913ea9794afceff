"""The SES roles' grants on the context schemas are data (ses_common.context_grants, and per
table and column ses_common.table_grants since migration 0180) applied by
ses_common.apply_context_grants: the catalog says exactly what the tables say, and a changed row
changes the grants."""

from __future__ import annotations

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
        SELECT DISTINCT role_name FROM ses_common.table_grants
        UNION
        SELECT rolname FROM pg_roles WHERE rolname ~ '^ses_'
    ), schemas AS (
        SELECT oid, nspname FROM pg_namespace WHERE nspname ~ '_context$'
    )
    SELECT r.role_name, s.nspname AS object, 'USAGE' AS privilege,
           has_schema_privilege(r.role_name, s.oid, 'USAGE') AS effective,
           g.role_name IS NOT NULL OR EXISTS (
               SELECT FROM ses_common.table_grants t
               WHERE t.role_name = r.role_name AND t.schema_name = s.nspname) AS stated
    FROM roles r CROSS JOIN schemas s
    LEFT JOIN ses_common.context_grants g
      ON g.role_name = r.role_name AND g.schema_name = s.nspname
    UNION ALL
    SELECT r.role_name, c.oid::regclass::text, p.privilege,
           has_table_privilege(r.role_name, c.oid, p.privilege),
           NOT c.relispartition AND CASE
               WHEN EXISTS (SELECT FROM ses_common.table_grants t
                            WHERE t.role_name = r.role_name AND t.schema_name = s.nspname
                              AND t.table_name = c.relname)
               THEN EXISTS (SELECT FROM ses_common.table_grants t
                            WHERE t.role_name = r.role_name AND t.schema_name = s.nspname
                              AND t.table_name = c.relname AND t.privilege = p.privilege
                              AND t.column_names IS NULL)
               ELSE coalesce(p.privilege = ANY(g.table_privileges), false)
           END
    FROM roles r CROSS JOIN schemas s
    JOIN pg_class c ON c.relnamespace = s.oid AND c.relkind IN ('r', 'p')
    CROSS JOIN unnest(%(privileges)s::text[]) AS p(privilege)
    LEFT JOIN ses_common.context_grants g
      ON g.role_name = r.role_name AND g.schema_name = s.nspname
"""

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
               "WHERE schema_name = 'billing_context' AND role_name = 'ses_admin_role'")
    assert _has(db, "ses_admin_role", "billing_context.invoices", "INSERT")
    assert ("ses_admin_role", "billing_context.invoices", "INSERT", True, False) \
        in _mismatches(db)
    changed = _apply(db, "billing_context")
    assert "REVOKE INSERT, UPDATE, DELETE ON TABLE billing_context.invoices FROM ses_admin_role" \
        in changed
    assert not _has(db, "ses_admin_role", "billing_context.invoices", "INSERT")
    assert _has(db, "ses_admin_role", "billing_context.invoices", "SELECT")
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
               "WHERE schema_name = 'contract_context' AND role_name = 'ses_admin_role'")
    changed = _apply(db)
    assert "REVOKE USAGE ON SCHEMA contract_context FROM ses_admin_role" in changed
    assert not db.execute("SELECT has_schema_privilege('ses_admin_role', "
                          "'contract_context', 'USAGE')").fetchone()[0]
    assert not _has(db, "ses_admin_role", "contract_context.contracts", "SELECT")
    assert _mismatches(db) == []


def test_a_schema_argument_changes_that_schema_only(db: psycopg.Connection) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{}' "
               "WHERE role_name = 'ses_admin_role' "
               "AND schema_name IN ('report_context', 'project_context')")
    _apply(db, "report_context")
    assert not _has(db, "ses_admin_role", "report_context.dashboards", "SELECT")
    assert _has(db, "ses_admin_role", "project_context.projects", "SELECT")


def test_a_table_added_later_gets_the_grants_of_its_schema(db: psycopg.Connection) -> None:
    db.execute("CREATE TABLE project_context.added_later (id integer)")
    _apply(db)
    assert _has(db, "ses_admin_role", "project_context.added_later", "DELETE")
    # The narrowed roles get a new table only through table_grants rows.
    assert not _has(db, "ses_project_manager_role", "project_context.added_later", "SELECT")
    assert not _has(db, "ses_customer_role", "project_context.added_later", "SELECT")
    assert _mismatches(db) == []


def test_roles_the_table_does_not_name_keep_their_grants(db: psycopg.Connection) -> None:
    db.execute("GRANT SELECT ON project_context.projects TO bbase_sync")
    _apply(db)
    assert _has(db, "bbase_sync", "project_context.projects", "SELECT")


def test_materialized_views_keep_their_grants(db: psycopg.Connection) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{}' "
               "WHERE role_name = 'ses_admin_role' AND schema_name = 'report_context'")
    _apply(db)
    assert _has(db, "ses_admin_role", "report_context.monthly_revenue_stats", "SELECT")


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


def test_column_privileges_of_the_managed_roles_are_exactly_those_the_table_grants_list(
    db: psycopg.Connection,
) -> None:
    """Column privileges (on the parent tables of the contexts) come only from table_grants
    rows with column_names, never from elsewhere."""
    rows = db.execute(r"""
        WITH granted AS (
            SELECT c.oid::regclass::text AS tbl, pr.rolname, e.privilege_type, a.attname::text
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL aclexplode(a.attacl) e JOIN pg_roles pr ON pr.oid = e.grantee
            WHERE n.nspname LIKE '%\_context' AND a.attnum > 0 AND a.attacl IS NOT NULL
              AND pr.rolname IN (SELECT role_name FROM ses_common.context_grants
                                 UNION SELECT role_name FROM ses_common.table_grants)
        ), stated AS (
            SELECT format('%I.%I', t.schema_name, t.table_name)::regclass::text, t.role_name,
                   t.privilege, col::text
            FROM ses_common.table_grants t CROSS JOIN unnest(t.column_names) AS col
        )
        (SELECT 'granted only', * FROM granted EXCEPT SELECT 'granted only', * FROM stated)
        UNION ALL
        (SELECT 'stated only', * FROM stated EXCEPT SELECT 'stated only', * FROM granted)
    """).fetchall()
    assert db.execute("SELECT count(*) FROM ses_common.table_grants "
                      "WHERE column_names IS NOT NULL").fetchone()[0] > 0
    assert rows == []


def test_a_table_row_replaces_the_context_row_for_that_table_only(
    db: psycopg.Connection,
) -> None:
    db.execute("UPDATE ses_common.context_grants SET table_privileges = '{SELECT}' "
               "WHERE schema_name = 'project_context' AND role_name = 'ses_engineer_role'")
    db.execute("INSERT INTO ses_common.table_grants (schema_name, table_name, role_name, "
               "privilege, column_names) VALUES ('project_context', 'projects', "
               "'ses_engineer_role', 'SELECT', '{id,name}')")
    _apply(db)
    assert not _has(db, "ses_engineer_role", "project_context.projects", "SELECT")
    assert db.execute("SELECT has_column_privilege('ses_engineer_role', "
                      "'project_context.projects', 'name', 'SELECT')").fetchone()[0]
    assert not db.execute("SELECT has_column_privilege('ses_engineer_role', "
                          "'project_context.projects', 'budget_amount', 'SELECT')").fetchone()[0]
    assert _has(db, "ses_engineer_role", "project_context.project_phases", "SELECT")
    assert _mismatches(db) == []


def test_removing_a_column_row_revokes_its_column_privileges(db: psycopg.Connection) -> None:
    db.execute("DELETE FROM ses_common.table_grants WHERE table_name = 'contracts' "
               "AND role_name = 'ses_engineer_role'")
    changed = _apply(db, "contract_context")
    assert any(c.startswith("REVOKE SELECT (") and "ses_engineer_role" in c for c in changed)
    assert not db.execute("SELECT has_any_column_privilege('ses_engineer_role', "
                          "'contract_context.contracts', 'SELECT')").fetchone()[0]


def test_a_table_row_naming_a_missing_column_is_refused_with_se100(
    db: psycopg.Connection,
) -> None:
    db.execute("INSERT INTO ses_common.table_grants (schema_name, table_name, role_name, "
               "privilege, column_names) VALUES ('project_context', 'projects', "
               "'ses_engineer_role', 'SELECT', '{id,no_such_column}')")
    with pytest.raises(psycopg.Error) as exc:
        _apply(db)
    assert exc.value.sqlstate == "SE100"
    assert exc.value.diag.column_name == "column_names"
    assert "no_such_column" in str(exc.value)


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
def test_a_context_installed_alone_gets_its_grants_with_migrations_0174_and_0180(
    empty_dsn: str,
) -> None:
    """Installed alone (foundation, ses_common, its own block), a context has no grant tables;
    adding migrations 0174 and 0180 alone brings the tables and the context's grants."""
    install_subset(empty_dsn, ["timesheet_context"])
    with psycopg.connect(empty_dsn) as conn:
        assert conn.execute("SELECT to_regclass('ses_common.context_grants')").fetchone()[0] is None
    mig.migrate(empty_dsn, only=["0174", "0180"],
                schemas=["bbase", "ses_common", "timesheet_context"])
    with psycopg.connect(empty_dsn) as conn:
        assert _has(conn, "ses_finance_role", "timesheet_context.timesheets", "SELECT")
        assert not _has(conn, "ses_finance_role", "timesheet_context.timesheets", "UPDATE")
        assert conn.execute("SELECT relforcerowsecurity FROM pg_class "
                            "WHERE oid = 'timesheet_context.timesheets'::regclass").fetchone()[0]
        assert _mismatches(conn) == []
