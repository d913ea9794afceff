"""Installation of the SES schema: each context alone on its own database, the three phases
of the design document, and a context rolled back on its own."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from bbase import migrate as mig
from tests.foundation.catalog import schema_dump
from tests.pg import PgServer
from tests.ses.conftest import CONTEXT_PREFIXES, SES_TABLES_SQL, install_subset

pytestmark = pytest.mark.commits

CONTEXTS = [c for c in CONTEXT_PREFIXES if c != "ses_common"]
PHASES = {
    "core": ["project_context", "engineer_context", "matching_context"],
    "supporting": ["contract_context", "timesheet_context", "billing_context"],
    "generic": ["report_context", "notification_context"],
}


def _schemas(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
        "AND nspname NOT IN ('public', 'information_schema')")}


def test_phases_cover_every_context_once() -> None:
    assert sorted(c for cs in PHASES.values() for c in cs) == sorted(CONTEXTS)


@pytest.mark.parametrize("context", CONTEXTS)
def test_each_context_installs_alone_into_an_empty_database(empty_dsn: str, context: str) -> None:
    install_subset(empty_dsn, [context])
    with psycopg.connect(empty_dsn) as conn:
        assert _schemas(conn) == {"bbase", "ses_common", context}
        tables = [r[0] for r in conn.execute(SES_TABLES_SQL)]
        assert tables and all(t.startswith(context + ".") for t in tables)
        # The common machinery is attached to each of them.
        bare = conn.execute(r"""
            SELECT c.oid::regclass::text FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid
                   AND t.tgname ~ '__(touch_updated_at|bump_version|soft_delete)$') <> 3
        """).fetchall()
        assert bare == []


def test_lone_contract_context_accepts_references_it_cannot_check(empty_dsn: str) -> None:
    """Project and engineer live in other databases: their ids are taken on trust (events
    keep them consistent), while the machinery of the context itself works."""
    install_subset(empty_dsn, ["contract_context"])
    with psycopg.connect(empty_dsn) as conn:
        cid = conn.execute(
            "INSERT INTO contract_context.contracts (contract_number, contract_type, project_id, "
            "engineer_id, customer_id, counterparty_id, counterparty_name, start_date, end_date, "
            "monthly_unit_price) VALUES ('CT-1', 'DISPATCH', %s, %s, %s, %s, 'x', '2025-06-01', "
            "'2025-06-30', 550000) RETURNING id",
            (uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4())).fetchone()[0]
        # Not to ACTIVE: that needs both signatures (tg_contracts__require_signatures).
        conn.execute("UPDATE contract_context.contracts SET status = 'PENDING_SIGNATURE' "
                     "WHERE id = %s", (cid,))
        with pytest.raises(psycopg.Error) as exc, conn.transaction():
            conn.execute("UPDATE contract_context.contracts SET version = 1 WHERE id = %s", (cid,))
        assert exc.value.sqlstate == "SE001"
        conn.execute("DELETE FROM contract_context.contracts WHERE id = %s", (cid,))
        assert conn.execute("SELECT deleted_at IS NOT NULL FROM contract_context.contracts "
                            "WHERE id = %s", (cid,)).fetchone()[0]


def test_lone_timesheet_context_has_its_partitions(empty_dsn: str) -> None:
    install_subset(empty_dsn, ["timesheet_context"])
    with psycopg.connect(empty_dsn) as conn:
        count = conn.execute(
            "SELECT count(*) FROM pg_inherits "
            "WHERE inhparent = 'timesheet_context.timesheets'::regclass").fetchone()[0]
    assert count >= 5  # default + last month + this month + 3 ahead


def test_core_phase_installs_alone_and_checks_references_inside_it(empty_dsn: str) -> None:
    install_subset(empty_dsn, PHASES["core"])
    with psycopg.connect(empty_dsn) as conn:
        assert _schemas(conn) == {"bbase", "ses_common", *PHASES["core"]}
        missing = uuid.uuid4()
        with pytest.raises(psycopg.Error) as exc:
            conn.execute(
                "INSERT INTO matching_context.matching_requests (project_id, customer_id, title) "
                "VALUES (%s, %s, 'x')", (missing, uuid.uuid4()))
        assert exc.value.sqlstate == "SE002"
        assert exc.value.diag.message_primary == f"Referenced project does not exist: {missing}"


def test_phases_installed_one_after_another_equal_one_install(
    empty_dsn: str, pg: PgServer
) -> None:
    installed: list[str] = []
    for contexts in PHASES.values():
        installed += contexts
        install_subset(empty_dsn, installed)
    with psycopg.connect(empty_dsn) as conn:
        assert _schemas(conn) == {"bbase", "ses_common", *CONTEXTS}
        assert len(conn.execute(SES_TABLES_SQL).fetchall()) == 40
    at_once = pg.create_db()
    try:
        install_subset(pg.dsn_for(at_once), CONTEXTS)
        assert schema_dump(empty_dsn) == schema_dump(pg.dsn_for(at_once))
    finally:
        pg.drop_db(at_once)


def test_a_context_rolls_back_alone_with_its_declarations(empty_dsn: str) -> None:
    install_subset(empty_dsn, ["project_context", "contract_context"])
    assert mig.rollback(empty_dsn, count=1) == ["0130_contract_context"]
    with psycopg.connect(empty_dsn) as conn:
        assert "contract_context" not in _schemas(conn)
        left = conn.execute("SELECT count(*) FROM ses_common.cross_context_references "
                            "WHERE source_schema = 'contract_context'").fetchone()[0]
        assert left == 0
