"""Row-level security of the SES contexts (migration 0180, sql/policies/).

Catalog tests hold every table, partition, policy, view and grant to the rules, so a table or
policy added later without them fails here. The matrix tests run every SES role against every
SES table (both from the catalog) over two worlds of real rows (tests/ses/rls_world.py): each
acting user sees and updates exactly the rows the rules below give it, and nothing without a
valid acting user.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.pg import PgServer
from tests.ses.conftest import qualified
from tests.ses.rls_world import (
    ADMIN,
    CUSTOMER,
    ENGINEER,
    FINANCE,
    PM,
    ROLES,
    Row,
    World,
    build_world,
)

CONTEXT_TABLES_SQL = r"""
    SELECT c.oid::regclass::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY 1
"""

# --------------------------------------------------------------------------- the rules
Rule = Callable[[Row, int, str], bool]


def world(r: Row, k: int, role: str) -> bool:
    return r.world == k


def every(r: Row, k: int, role: str) -> bool:
    return True


def mine(r: Row, k: int, role: str) -> bool:
    return r.world == k and r.owner == role


def both(*rules: Rule) -> Rule:
    return lambda r, k, role: all(rule(r, k, role) for rule in rules)


def fact(name: str, *values: str, parent: bool = False) -> Rule:
    def rule(r: Row, k: int, role: str) -> bool:
        facts = r.facts["parent"] if parent else r.facts
        return facts[name] in values
    return rule


def fact_not(name: str, value: str, parent: bool = False) -> Rule:
    def rule(r: Row, k: int, role: str) -> bool:
        facts = r.facts["parent"] if parent else r.facts
        return facts[name] != value
    return rule


PROJECT_TABLES = ["project_context.projects", "project_context.project_requirements",
                  "project_context.project_phases", "project_context.project_milestones"]
ENGINEER_TABLES = ["engineer_context.engineers", "engineer_context.skill_assessments",
                   "engineer_context.certifications", "engineer_context.availability_periods"]
MATCHING_OWN = ["matching_context.matching_requests", "matching_context.matching_candidates",
                "matching_context.matching_results"]
CONTRACT_TABLES = ["contract_context.contracts", "contract_context.contract_signatures",
                   "contract_context.contract_amendments"]
TIMESHEET_TABLES = ["timesheet_context.timesheets", "timesheet_context.daily_attendances",
                    "timesheet_context.timesheet_approval_steps",
                    "timesheet_context.timesheet_adjustments"]
BILLING_TABLES = ["billing_context.payee_accounts", "billing_context.invoices",
                  "billing_context.invoice_billing_items", "billing_context.invoice_tax_summaries",
                  "billing_context.invoice_payments", "billing_context.accounting_entries",
                  "billing_context.accounting_entry_lines", "billing_context.transfer_originators"]
OWNED_REPORTS = ["report_context.dashboards", "report_context.dashboard_widgets",
                 "report_context.generated_reports"]
REPORT_REFERENCE = ["report_context.kpi_definitions", "report_context.kpi_values",
                    "report_context.report_templates"]
PERSONAL_NOTIFICATIONS = {"notification_context.notifications": world,
                          "notification_context.notification_deliveries": mine,
                          "notification_context.notification_subscriptions": mine}
NOT_DRAFT_TIMESHEET = fact_not("status", "DRAFT", parent=True)

#: Which rows each role may read, per table; a table missing from a role's map: none.
READ: dict[str, dict[str, Rule]] = {
    PM: {
        **dict.fromkeys(PROJECT_TABLES + MATCHING_OWN + CONTRACT_TABLES + TIMESHEET_TABLES
                        + ["billing_context.invoices"], world),
        **dict.fromkeys(ENGINEER_TABLES + REPORT_REFERENCE
                        + ["matching_context.scoring_criteria",
                           "contract_context.contract_templates"], every),
        **dict.fromkeys(OWNED_REPORTS, mine),
        **PERSONAL_NOTIFICATIONS,
    },
    FINANCE: {
        **dict.fromkeys(["project_context.projects", "engineer_context.engineers",
                         "contract_context.contract_templates", "report_context.analytics_data"]
                        + CONTRACT_TABLES + TIMESHEET_TABLES + BILLING_TABLES + REPORT_REFERENCE,
                        every),
        **dict.fromkeys(OWNED_REPORTS, mine),
        **PERSONAL_NOTIFICATIONS,
    },
    ENGINEER: {
        **dict.fromkeys(ENGINEER_TABLES + TIMESHEET_TABLES + ["contract_context.contracts"], world),
        **PERSONAL_NOTIFICATIONS,
    },
    CUSTOMER: {
        **dict.fromkeys(PROJECT_TABLES + ["engineer_context.engineers",
                                          "engineer_context.skill_assessments"], world),
        "contract_context.contracts": both(world, fact("contract_side", "CUSTOMER")),
        "timesheet_context.timesheets": both(world, fact_not("status", "DRAFT")),
        "timesheet_context.daily_attendances": both(world, NOT_DRAFT_TIMESHEET),
        "timesheet_context.timesheet_approval_steps": both(world, NOT_DRAFT_TIMESHEET),
        "billing_context.invoices": both(world, fact("direction", "RECEIVABLE")),
        "billing_context.invoice_billing_items": both(
            world, fact("direction", "RECEIVABLE", parent=True)),
        "billing_context.invoice_tax_summaries": both(
            world, fact("direction", "RECEIVABLE", parent=True)),
        **PERSONAL_NOTIFICATIONS,
    },
}

#: Which rows each role may update (SET version = version), per table.
UPDATE: dict[str, dict[str, Rule]] = {
    PM: {
        **dict.fromkeys(PROJECT_TABLES + MATCHING_OWN + CONTRACT_TABLES, world),
        "timesheet_context.timesheets": both(world, fact("status", "SUBMITTED", "CLIENT_APPROVED")),
        **dict.fromkeys(["report_context.dashboards", "report_context.dashboard_widgets",
                         "notification_context.notification_subscriptions"], mine),
    },
    FINANCE: {
        **dict.fromkeys(BILLING_TABLES, every),
        **dict.fromkeys(["report_context.dashboards", "report_context.dashboard_widgets",
                         "notification_context.notification_subscriptions"], mine),
    },
    ENGINEER: {
        "timesheet_context.timesheets": both(world, fact("status", "DRAFT")),
        "timesheet_context.daily_attendances": both(world, fact("status", "DRAFT", parent=True)),
        "notification_context.notification_subscriptions": mine,
    },
    CUSTOMER: {
        "timesheet_context.timesheets": both(world, fact("status", "SUBMITTED")),
        "notification_context.notification_subscriptions": mine,
    },
}
READ[ADMIN] = UPDATE[ADMIN] = {}  # admins: every row of every table (checked below)


def expected(rules: dict[str, dict[str, Rule]], role: str, table: str, w: World,
             k: int) -> set[uuid.UUID]:
    if role == ADMIN:
        return {r.id for r in w.of(table)}
    rule = rules[role].get(table)
    return {r.id for r in w.of(table) if rule is not None and rule(r, k, role)}


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def world_dsn(pg: PgServer, template_db: str) -> Iterator[tuple[str, World]]:
    """A database of its own holding both worlds, committed once for the module."""
    name = pg.create_db(template=template_db)
    dsn = pg.dsn_for(name)
    with psycopg.connect(dsn) as conn:
        w = build_world(conn)
    try:
        yield dsn, w
    finally:
        pg.drop_db(name)


@pytest.fixture(scope="module")
def world_conn(world_dsn: tuple[str, World]) -> Iterator[psycopg.Connection]:
    conn = psycopg.connect(world_dsn[0], autocommit=False)
    try:
        yield conn
    finally:
        conn.close()


def context_tables() -> list[str]:
    """The SES tables from the catalog of the migrated template (collected at import)."""
    return TABLES


def _collect_tables() -> list[str]:
    # Read the installed migrations' table list once, from the template the session migrates.
    # Collection happens before fixtures exist, so the list comes from the rules plus a check
    # (test_the_rules_cover_every_context_table) that it equals the catalog.
    tables: set[str] = set()
    for rules in (READ, UPDATE):
        for per_role in rules.values():
            tables.update(per_role)
    tables.update(["matching_context.scoring_criteria", "contract_context.contract_templates",
                   "report_context.analytics_data",
                   "notification_context.notification_channels",
                   "notification_context.notification_templates",
                   "notification_context.notification_rules"])
    return sorted(tables)


TABLES = _collect_tables()


def as_role(conn: psycopg.Connection, role: str, user: Any) -> None:
    """Start acting: SET LOCAL ROLE and the acting user, as an application would."""
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    conn.execute("SELECT ses_common.act_as(%s)", (user,))


def visible_ids(conn: psycopg.Connection, table: str) -> set[uuid.UUID] | None:
    """The ids the current role sees in table; None when it has no privilege at all."""
    try:
        with conn.transaction():
            return {r[0] for r in conn.execute(
                sql.SQL("SELECT id FROM {}").format(qualified(table)))}
    except psycopg.errors.InsufficientPrivilege:
        return None


# --------------------------------------------------------------------------- catalog tests
def test_the_rules_cover_every_context_table(db: psycopg.Connection) -> None:
    """A table added to a context must be classified here (and given policies)."""
    assert [r[0] for r in db.execute(CONTEXT_TABLES_SQL)] == TABLES


def test_every_context_table_and_partition_has_row_level_security_enabled_and_forced(
    db: psycopg.Connection,
) -> None:
    rows = db.execute(r"""
        SELECT c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')""").fetchall()
    assert len(rows) > 40  # tables and their partitions
    assert [r[0] for r in rows if not (r[1] and r[2])] == []


def test_a_partition_created_later_has_row_level_security_forced_and_no_grant(
    db: psycopg.Connection,
) -> None:
    created = [r[0] for r in db.execute(
        "SELECT ses_common.create_partitions('timesheet_context.timesheets', "
        "'2031-01-01', '2031-01-01')")]
    assert created == ["timesheet_context.timesheets_2031_01"]
    enabled, forced, acl = db.execute(
        "SELECT relrowsecurity, relforcerowsecurity, relacl FROM pg_class "
        "WHERE oid = 'timesheet_context.timesheets_2031_01'::regclass").fetchone()
    assert (enabled, forced, acl) == (True, True, None)


def test_no_ses_role_can_read_a_partition_directly(db: psycopg.Connection) -> None:
    readable = db.execute(r"""
        SELECT r.rolname, c.oid::regclass::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN pg_roles r
        WHERE n.nspname LIKE '%\_context' AND c.relispartition
          AND r.rolname ~ '^(ses|bbase)_' AND NOT r.rolsuper  -- superusers read everything
          AND has_any_column_privilege(r.oid, c.oid, 'SELECT')""").fetchall()
    assert readable == []


def test_every_policy_names_exactly_one_role(db: psycopg.Connection) -> None:
    rows = db.execute(r"""
        SELECT p.polrelid::regclass::text, p.polname, p.polroles::regrole[]::text[]
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE '%\_context'""").fetchall()
    assert len(rows) > 140
    assert [r for r in rows if len(r[2]) != 1 or r[2] == ["-"]] == []


def test_every_policy_is_named_as_a_sentence(db: psycopg.Connection) -> None:
    names = [r[0] for r in db.execute(r"""
        SELECT p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname LIKE '%\_context'""")]
    sentence = re.compile(r"[A-Z][a-z]+( [A-Za-z-]+)* can [A-Za-z ,-]+")
    assert [n for n in names if not sentence.fullmatch(n)] == []


def test_every_policy_reads_the_acting_user_once_per_statement(db: psycopg.Connection) -> None:
    """current_user_id() only inside (SELECT ...): an init plan, not a call per row."""
    exprs = db.execute(r"""
        SELECT p.polname, concat_ws(' ', pg_get_expr(p.polqual, p.polrelid),
                                    pg_get_expr(p.polwithcheck, p.polrelid))
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname LIKE '%\_context'
    """).fetchall()
    calls = [(name, e) for name, e in exprs
             if re.search(r"(?<!SELECT )ses_common\.current_user_id\(\)", e)]
    assert calls == []
    assert sum("current_user_id()" in e for _, e in exprs) >= 40


def test_every_uuid_column_a_policy_filters_on_has_a_plain_index(db: psycopg.Connection) -> None:
    """INSERT policies are left out: they check the new row and filter none."""
    missing = db.execute(r"""
        SELECT DISTINCT d.refobjid::regclass::text, a.attname
        FROM pg_policy p
        JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid
            AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        JOIN pg_class c ON c.oid = d.refobjid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE '%\_context' AND a.atttypid = 'uuid'::regtype AND p.polcmd <> 'a'
          AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = a.attrelid
                          AND i.indkey[0] = a.attnum AND i.indpred IS NULL)
        ORDER BY 1, 2""").fetchall()
    assert missing == []


DEFINER_VIEWS_SQL = r"""
    SELECT DISTINCT v.oid::regclass::text
    FROM pg_class v
    JOIN pg_rewrite rw ON rw.ev_class = v.oid
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
        AND d.refclassid = 'pg_class'::regclass
    JOIN pg_class t ON t.oid = d.refobjid AND t.relrowsecurity
    WHERE v.relkind = 'v' AND v.oid <> t.oid
      AND NOT coalesce('security_invoker=true' = ANY(v.reloptions)
                       OR 'security_invoker=on' = ANY(v.reloptions), false)
    ORDER BY 1
"""


def test_every_view_over_a_row_secured_table_is_security_invoker(db: psycopg.Connection) -> None:
    assert db.execute(DEFINER_VIEWS_SQL).fetchall() == []


def test_the_view_check_finds_a_view_that_runs_with_its_owners_rights(
    db: psycopg.Connection,
) -> None:
    db.execute("CREATE VIEW project_context.probe_owner_rights AS "
               "SELECT id FROM project_context.projects")
    db.execute("CREATE VIEW project_context.probe_invoker_rights WITH (security_invoker = true) "
               "AS SELECT id FROM project_context.projects")
    assert db.execute(DEFINER_VIEWS_SQL).fetchall() == [("project_context.probe_owner_rights",)]


def test_the_row_security_check_finds_a_table_added_without_it(db: psycopg.Connection) -> None:
    db.execute("CREATE TABLE project_context.probe_added_later (id uuid PRIMARY KEY)")
    unprotected = db.execute(r"""
        SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')
          AND NOT (c.relrowsecurity AND c.relforcerowsecurity)""").fetchall()
    assert unprotected == [("project_context.probe_added_later",)]
    db.execute("SELECT ses_common.apply_maintenance_policies()")
    assert db.execute("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                      "WHERE oid = 'project_context.probe_added_later'::regclass").fetchone()[0]


def test_no_zengin_role_can_read_any_ses_table_view_or_archive(db: psycopg.Connection) -> None:
    readable = db.execute(r"""
        SELECT r.rolname, c.oid::regclass::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN pg_roles r
        WHERE (n.nspname LIKE '%\_context' OR n.nspname = 'ses_archive')
          AND c.relkind IN ('r', 'p', 'v', 'm')
          AND r.rolname LIKE 'bbase\_%' AND NOT r.rolsuper  -- test superuser logins
          AND has_any_column_privilege(r.oid, c.oid, 'SELECT')""").fetchall()
    assert db.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'bbase\\_%'").fetchone()[0]
    assert readable == []


@pytest.mark.parametrize("role", [ENGINEER, CUSTOMER])
def test_materialized_views_and_the_archive_are_not_readable_by(
    db: psycopg.Connection, role: str
) -> None:
    readable = db.execute(r"""
        SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE (c.relkind = 'm' OR n.nspname = 'ses_archive')
          AND has_any_column_privilege(%s, c.oid, 'SELECT')""", (role,)).fetchall()
    assert db.execute("SELECT count(*) FROM pg_matviews").fetchone()[0] >= 2
    assert readable == []


def test_no_ses_role_bypasses_row_level_security(db: psycopg.Connection) -> None:
    rows = db.execute("SELECT rolname FROM pg_roles WHERE rolname ~ '^ses_' "
                      "AND (rolsuper OR rolbypassrls)").fetchall()
    assert db.execute("SELECT count(*) FROM pg_roles WHERE rolname ~ '^ses_'").fetchone()[0] >= 5
    assert rows == []


GRANTS_VS_POLICIES_SQL = r"""
    WITH privileges AS (
        SELECT c.oid AS rel, r.rolname, p.cmd
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN pg_roles r CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE']) p(cmd)
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND r.rolname ~ '^ses_.*_role$'
          AND CASE WHEN p.cmd = 'DELETE' THEN has_table_privilege(r.oid, c.oid, p.cmd)
                   ELSE has_any_column_privilege(r.oid, c.oid, p.cmd) END
    ), policies AS (
        SELECT po.polrelid AS rel, ro.rolname, cmd.cmd
        FROM pg_policy po CROSS JOIN unnest(po.polroles) AS pr(oid)
        JOIN pg_roles ro ON ro.oid = pr.oid
        CROSS JOIN LATERAL unnest(CASE po.polcmd
            WHEN '*' THEN ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']
            WHEN 'r' THEN ARRAY['SELECT'] WHEN 'a' THEN ARRAY['INSERT']
            WHEN 'w' THEN ARRAY['UPDATE'] ELSE ARRAY['DELETE'] END) AS cmd(cmd)
        WHERE ro.rolname ~ '^ses_.*_role$'
    )
"""


def test_every_table_privilege_of_a_ses_role_has_a_policy_for_it(db: psycopg.Connection) -> None:
    """A privilege no policy serves would be a grant that can never be used, or a forgotten
    policy: either way the grants and the policies disagree."""
    rows = db.execute(GRANTS_VS_POLICIES_SQL + """
        SELECT rel::regclass::text, rolname, cmd FROM privileges
        EXCEPT SELECT rel::regclass::text, rolname, cmd FROM policies
        ORDER BY 1, 2, 3""").fetchall()
    assert rows == []


def test_every_policy_of_a_ses_role_has_the_table_privilege_it_needs(
    db: psycopg.Connection,
) -> None:
    rows = db.execute(GRANTS_VS_POLICIES_SQL + """
        SELECT rel::regclass::text, rolname, cmd FROM policies
        EXCEPT SELECT rel::regclass::text, rolname, cmd FROM privileges
        ORDER BY 1, 2, 3""").fetchall()
    assert rows == []


# --------------------------------------------------------------------------- matrix tests
MATRIX = [(role, table) for role in ROLES for table in TABLES]


@pytest.mark.parametrize(("role", "table"), MATRIX)
def test_each_acting_user_reads_exactly_their_rows(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection, role: str, table: str
) -> None:
    w = world_dsn[1]
    assert w.of(table), f"the world has no row in {table}"
    for k in (0, 1):
        try:
            as_role(world_conn, role, w.actors[k][role])
            seen = visible_ids(world_conn, table)
        finally:
            world_conn.rollback()
        want = expected(READ, role, table, w, k)
        assert (seen or set()) == want, f"{role} acting as world {k} on {table}"


@pytest.mark.parametrize(("role", "table"), MATRIX)
def test_each_acting_user_updates_exactly_their_rows(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection, role: str, table: str
) -> None:
    w = world_dsn[1]
    for k in (0, 1):
        try:
            as_role(world_conn, role, w.actors[k][role])
            try:
                with world_conn.transaction():
                    changed = {r[0] for r in world_conn.execute(
                        sql.SQL("UPDATE {} SET version = version RETURNING id").format(
                            qualified(table)))}
            except psycopg.errors.InsufficientPrivilege:
                changed = set()
        finally:
            world_conn.rollback()
        assert changed == expected(UPDATE, role, table, w, k), \
            f"{role} acting as world {k} on {table}"


def expected_without_user(role: str, table: str, w: World) -> set[uuid.UUID]:
    """With no valid acting user only the all-rows policies (USING (true)) still match."""
    if role == ADMIN or READ[role].get(table) is every:
        return {r.id for r in w.of(table)}
    return set()


@pytest.mark.parametrize("setting", [None, "", " ", "garbage", "00000000-0000-0000-0000",
                                     "{%s}", "%s ", "%S", "%s'; SELECT 1; --"])
def test_without_a_valid_acting_user_only_all_rows_policies_match(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection, setting: str | None
) -> None:
    """Unset, empty, blank, malformed, braced, padded or upper-case ids match no row of a
    policy that depends on who is acting, in any table, and raise nothing."""
    w = world_dsn[1]
    wrong: dict[tuple[str, str], int] = {}
    for role in ROLES:
        user = str(w.actors[0][role])
        value = None if setting is None else setting.replace("%s", user).replace(
            "%S", user.upper())
        for table in TABLES:
            try:
                world_conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
                if value is not None:
                    world_conn.execute("SELECT set_config('app.current_user_id', %s, true)",
                                       (value,))
                ids = visible_ids(world_conn, table) or set()
            finally:
                world_conn.rollback()
            if ids != expected_without_user(role, table, w):
                wrong[(role, table)] = len(ids)
    assert wrong == {}


def test_tenant_roles_see_nothing_without_a_valid_acting_user(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    """Of the tables an engineer, a customer or a project manager reads by who they are,
    none shows a row when the setting is unset."""
    assert world_dsn[1].rows
    seen = {}
    for role in (ENGINEER, CUSTOMER, PM):
        for table, rule in READ[role].items():
            if rule is every:
                continue
            try:
                world_conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
                ids = visible_ids(world_conn, table)
            finally:
                world_conn.rollback()
            if ids:
                seen[(role, table)] = len(ids)
    assert len([t for r in (ENGINEER, CUSTOMER, PM) for t, rule in READ[r].items()
                if rule is not every]) > 40
    assert seen == {}


def test_the_acting_user_does_not_leak_into_the_next_transaction_on_the_connection(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    """Behind a transaction-pooling PgBouncer the next client gets this server connection."""
    w = world_dsn[1]
    as_role(world_conn, ENGINEER, w.actors[0][ENGINEER])
    assert visible_ids(world_conn, "engineer_context.engineers") == {w.actors[0][ENGINEER]}
    world_conn.commit()
    try:
        world_conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(ENGINEER)))
        assert world_conn.execute("SELECT ses_common.current_user_id()").fetchone()[0] is None
        assert visible_ids(world_conn, "engineer_context.engineers") == set()
    finally:
        world_conn.rollback()


def test_act_as_returns_the_acting_user_and_null_clears_it(db: psycopg.Connection) -> None:
    user = uuid.uuid4()
    assert db.execute("SELECT ses_common.act_as(%s)", (user,)).fetchone()[0] == user
    assert db.execute("SELECT ses_common.current_user_id()").fetchone()[0] == user
    assert db.execute("SELECT ses_common.act_as(NULL)").fetchone()[0] is None
    assert db.execute("SELECT current_setting('app.current_user_id')").fetchone()[0] == ""


# --------------------------------------------------------------------------- writes outside
def _insert_as(conn: psycopg.Connection, role: str, user: uuid.UUID, table: str,
               values: dict[str, Any]) -> None:
    as_role(conn, role, user)
    conn.execute(sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        qualified(table), sql.SQL(", ").join(map(sql.Identifier, values)),
        sql.SQL(", ").join(sql.Placeholder() * len(values))), list(values.values()))


def test_a_project_manager_cannot_create_a_project_someone_else_manages(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:  # 42501 (policy)
            _insert_as(world_conn, PM, w.actors[0][PM], "project_context.projects", dict(
                project_code="PRJ-X", name="x", customer_id=w.actors[1][CUSTOMER],
                customer_name="x", project_manager_id=w.actors[1][PM]))
        assert exc.value.sqlstate == "42501"
        assert "row-level security" in str(exc.value)
    finally:
        world_conn.rollback()


def test_an_engineer_cannot_record_attendance_on_a_submitted_timesheet(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    submitted = [r for r in w.of("timesheet_context.timesheets")
                 if r.world == 0 and r.facts["status"] == "SUBMITTED"][0]
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:  # 42501 (policy)
            _insert_as(world_conn, ENGINEER, w.actors[0][ENGINEER],
                       "timesheet_context.daily_attendances", dict(
                           timesheet_id=submitted.id, period_year=2025, period_month=7,
                           engineer_id=w.actors[0][ENGINEER], work_date="2025-07-02"))
        assert exc.value.sqlstate == "42501"
    finally:
        world_conn.rollback()


def test_an_engineer_cannot_record_attendance_for_another_engineer(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    draft = [r for r in w.of("timesheet_context.timesheets")
             if r.world == 1 and r.facts["status"] == "DRAFT"][0]
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:  # 42501 (policy)
            _insert_as(world_conn, ENGINEER, w.actors[0][ENGINEER],
                       "timesheet_context.daily_attendances", dict(
                           timesheet_id=draft.id, period_year=2025, period_month=6,
                           engineer_id=w.actors[1][ENGINEER], work_date="2025-06-03"))
        assert exc.value.sqlstate == "42501"
    finally:
        world_conn.rollback()


def test_an_engineer_deletes_draft_attendance_through_the_soft_delete(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    """The DELETE passes the engineer's policy; the SECURITY DEFINER soft-delete trigger then
    marks the row through the owner's maintenance policy."""
    w = world_dsn[1]
    draft_rows = [r.id for r in w.of("timesheet_context.daily_attendances")
                  if r.world == 0 and r.facts["parent"]["status"] == "DRAFT"]
    try:
        as_role(world_conn, ENGINEER, w.actors[0][ENGINEER])
        world_conn.execute("DELETE FROM timesheet_context.daily_attendances")
        world_conn.execute("RESET ROLE")
        deleted = {r[0] for r in world_conn.execute(
            "SELECT id FROM timesheet_context.daily_attendances WHERE deleted_at IS NOT NULL")}
    finally:
        world_conn.rollback()
    assert deleted == set(draft_rows)


def test_an_engineer_cannot_read_any_contract_price(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    try:
        as_role(world_conn, ENGINEER, w.actors[0][ENGINEER])
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
            world_conn.execute("SELECT monthly_unit_price FROM contract_context.contracts")
        assert exc.value.sqlstate == "42501"
    finally:
        world_conn.rollback()


@pytest.mark.parametrize("role", [PM, FINANCE, CUSTOMER])
def test_engineers_contact_data_is_not_readable_by(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection, role: str
) -> None:
    w = world_dsn[1]
    for column in ("email_encrypted", "phone_encrypted", "email_hmac"):
        try:
            as_role(world_conn, role, w.actors[0][role])
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
                world_conn.execute(sql.SQL("SELECT {} FROM engineer_context.engineers").format(
                    sql.Identifier(column)))
            assert exc.value.sqlstate == "42501"
        finally:
            world_conn.rollback()


def test_a_customer_approves_a_submitted_timesheet_but_cannot_change_its_hours(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    submitted = [r for r in w.of("timesheet_context.timesheets")
                 if r.world == 0 and r.facts["status"] == "SUBMITTED"][0]
    try:
        as_role(world_conn, CUSTOMER, w.actors[0][CUSTOMER])
        approved = world_conn.execute(
            "UPDATE timesheet_context.timesheets SET status = 'CLIENT_APPROVED', "
            "client_approved_at = now() WHERE id = %s RETURNING id", (submitted.id,)).fetchall()
        assert approved == [(submitted.id,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
            world_conn.execute("UPDATE timesheet_context.timesheets SET billable_hours = 999 "
                               "WHERE id = %s", (submitted.id,))
        assert exc.value.sqlstate == "42501"
    finally:
        world_conn.rollback()


def test_a_customer_cannot_approve_into_a_status_the_policy_does_not_allow(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    submitted = [r for r in w.of("timesheet_context.timesheets")
                 if r.world == 0 and r.facts["status"] == "SUBMITTED"][0]
    try:
        as_role(world_conn, CUSTOMER, w.actors[0][CUSTOMER])
        # INTERNALLY_APPROVED (our approval before the customer's): a transition the state
        # machine lists (tg_timesheets__enforce_transition would refuse an unlisted one such
        # as DRAFT with SE170 first), not the customer's.
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:  # 42501 WITH CHECK
            world_conn.execute(
                "UPDATE timesheet_context.timesheets SET status = 'INTERNALLY_APPROVED'"
                " WHERE id = %s",
                (submitted.id,))
        assert "row-level security" in str(exc.value)
    finally:
        world_conn.rollback()


def _customer_step(w: World, actor_type: str) -> tuple[Row, dict[str, Any]]:
    submitted = [r for r in w.of("timesheet_context.timesheets")
                 if r.world == 0 and r.facts["status"] == "SUBMITTED"][0]
    return submitted, dict(
        timesheet_id=submitted.id, period_year=2025, period_month=7, step_no=90,
        action="CLIENT_APPROVE", from_status="SUBMITTED", to_status="CLIENT_APPROVED",
        actor_type=actor_type, actor_id=w.actors[0][CUSTOMER])


def test_a_customer_records_an_approval_step_on_their_timesheet_as_the_customer(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    submitted, step = _customer_step(w, "CUSTOMER")
    try:
        _insert_as(world_conn, CUSTOMER, w.actors[0][CUSTOMER],
                   "timesheet_context.timesheet_approval_steps", step)
        recorded = world_conn.execute(
            "SELECT actor_type FROM timesheet_context.timesheet_approval_steps"
            " WHERE timesheet_id = %s AND step_no = 90", (submitted.id,)).fetchall()
        assert recorded == [("CUSTOMER",)]
    finally:
        world_conn.rollback()


@pytest.mark.parametrize("actor_type", ["PROJECT_MANAGER", "ENGINEER", "SYSTEM"])
def test_a_customer_cannot_record_an_approval_step_as_someone_else(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection, actor_type: str
) -> None:
    w = world_dsn[1]
    _, step = _customer_step(w, actor_type)
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:  # 42501 WITH CHECK
            _insert_as(world_conn, CUSTOMER, w.actors[0][CUSTOMER],
                       "timesheet_context.timesheet_approval_steps", step)
        assert exc.value.sqlstate == "42501"
    finally:
        world_conn.rollback()


def test_a_customer_reads_no_attendance_of_a_draft_timesheet(
    world_dsn: tuple[str, World], world_conn: psycopg.Connection
) -> None:
    w = world_dsn[1]
    customer = w.actors[0][CUSTOMER]
    try:
        draft_days = {r[0] for r in world_conn.execute(
            "SELECT a.id FROM timesheet_context.daily_attendances AS a"
            " JOIN timesheet_context.timesheets AS t ON t.id = a.timesheet_id"
            " WHERE t.customer_id = %s AND t.status = 'DRAFT'", (customer,))}
        submitted_days = {r[0] for r in world_conn.execute(
            "SELECT a.id FROM timesheet_context.daily_attendances AS a"
            " JOIN timesheet_context.timesheets AS t ON t.id = a.timesheet_id"
            " WHERE t.customer_id = %s AND t.status <> 'DRAFT'", (customer,))}
        assert draft_days and submitted_days, "the world has days on both kinds of timesheet"
        as_role(world_conn, CUSTOMER, customer)
        seen = visible_ids(world_conn, "timesheet_context.daily_attendances")
        assert seen is not None
        assert (seen & draft_days, submitted_days <= seen) == (set(), True)
    finally:
        world_conn.rollback()
