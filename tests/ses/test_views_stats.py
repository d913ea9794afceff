"""report_context's materialized views: right figures, and a refresh that never blocks readers."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.pg import PgServer
from tests.ses.test_seed import seeded_database

STATS = ("report_context.integrated_dashboard_stats", "report_context.monthly_revenue_stats")


@pytest.fixture(scope="module")
def seeded_dsn(pg: PgServer, template_db: str) -> Iterator[str]:
    name = "ses_stats_test"
    dsn = seeded_database(pg, template_db, name)
    try:
        yield dsn
    finally:
        pg.drop_db(name)


def test_every_stats_view_has_a_plain_unique_index_for_concurrent_refresh(
    db: psycopg.Connection,
) -> None:
    for view in STATS:
        unique = db.execute("""
            SELECT count(*) FROM pg_index i
            WHERE i.indrelid = %s::regclass AND i.indisunique AND i.indpred IS NULL
              AND i.indexprs IS NULL
        """, (view,)).fetchone()[0]
        assert unique == 1, view


def test_dashboard_stats_equal_the_live_tables_after_refresh(seeded_dsn: str) -> None:
    with psycopg.connect(seeded_dsn, autocommit=True) as conn:
        refreshed = conn.execute("SELECT view_name FROM report_context.refresh_stats()").fetchall()
        assert [r[0] for r in refreshed] == list(STATS)
        stats = conn.execute("""
            SELECT active_projects, available_engineers, total_engineers, active_contracts,
                   total_revenue, unpaid_invoices FROM report_context.integrated_dashboard_stats
        """).fetchall()
        live = conn.execute("""
            SELECT
              (SELECT count(*) FROM project_context.projects
               WHERE status = 'ACTIVE' AND deleted_at IS NULL),
              (SELECT count(*) FROM engineer_context.engineers
               WHERE availability_status = 'AVAILABLE' AND deleted_at IS NULL),
              (SELECT count(*) FROM engineer_context.engineers WHERE deleted_at IS NULL),
              (SELECT count(*) FROM contract_context.contracts
               WHERE status = 'ACTIVE' AND contract_side = 'CUSTOMER' AND deleted_at IS NULL),
              (SELECT sum(total_amount) FROM billing_context.invoices
               WHERE status = 'PAID' AND direction = 'RECEIVABLE' AND deleted_at IS NULL),
              (SELECT count(*) FROM billing_context.invoices
               WHERE status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE')
                 AND direction = 'RECEIVABLE' AND deleted_at IS NULL)
        """).fetchone()
    assert stats == [live]
    assert live[2] > 0 and live[4] > 0


def test_monthly_revenue_stats_has_one_row_per_invoiced_month_with_a_bounded_rate(
    seeded_dsn: str,
) -> None:
    with psycopg.connect(seeded_dsn, autocommit=True) as conn:
        conn.execute("SELECT report_context.refresh_stats()")
        months = conn.execute("""
            SELECT count(DISTINCT (invoice_year, invoice_month)) FROM billing_context.invoices
            WHERE direction = 'RECEIVABLE' AND status NOT IN ('DRAFT', 'CANCELLED')
              AND deleted_at IS NULL
        """).fetchone()[0]
        rows = conn.execute(
            "SELECT invoice_count, paid_count, payment_rate "
            "FROM report_context.monthly_revenue_stats").fetchall()
    assert len(rows) == months > 0
    assert all(0 <= rate <= 100 and paid <= n for n, paid, rate in rows)


@pytest.mark.commits
def test_concurrent_refresh_does_not_block_a_reader(seeded_dsn: str) -> None:
    refresher = psycopg.connect(seeded_dsn)
    reader = psycopg.connect(seeded_dsn, autocommit=True)
    try:
        reader.execute("SET lock_timeout = '2s'")
        before = reader.execute(
            "SELECT last_updated FROM report_context.integrated_dashboard_stats").fetchone()[0]
        # The refresh holds its lock until commit; the reader must still get the old row.
        refresher.execute("SELECT report_context.refresh_stats()")
        during = reader.execute(
            "SELECT last_updated FROM report_context.integrated_dashboard_stats").fetchone()[0]
        assert during == before
        refresher.commit()
        after = reader.execute(
            "SELECT last_updated FROM report_context.integrated_dashboard_stats").fetchone()[0]
        assert after > before
    finally:
        refresher.close()
        reader.close()


@pytest.mark.commits
def test_a_plain_refresh_would_block_the_reader(seeded_dsn: str) -> None:
    """The contrast that makes the test above meaningful."""
    refresher = psycopg.connect(seeded_dsn)
    reader = psycopg.connect(seeded_dsn, autocommit=True)
    try:
        reader.execute("SET lock_timeout = '300ms'")
        refresher.execute("REFRESH MATERIALIZED VIEW report_context.integrated_dashboard_stats")
        with pytest.raises(psycopg.errors.LockNotAvailable):  # SQLSTATE 55P03
            reader.execute("SELECT * FROM report_context.integrated_dashboard_stats").fetchall()
    finally:
        refresher.rollback()
        refresher.close()
        reader.close()


def test_operators_may_refresh_without_owning_the_views(db: psycopg.Connection) -> None:
    db.execute("SET LOCAL ROLE bbase_operator")
    rows = db.execute("SELECT view_name FROM report_context.refresh_stats()").fetchall()
    assert len(rows) == 2


def test_readonly_role_may_not_refresh(db: psycopg.Connection) -> None:
    db.execute("SET LOCAL ROLE bbase_readonly")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # SQLSTATE 42501
        db.execute("SELECT report_context.refresh_stats()")
