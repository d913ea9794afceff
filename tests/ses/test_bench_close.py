"""``bbase bench close`` at a tiny scale: the seed's master data, the bench's own month, a floor
that writes as many invoices as the close, and the report (docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import psycopg
import pytest

from bbase_workshop.bench import close as bench
from tests.pg import PgServer

Run = tuple[str, bench.Fixture, list[bench.Round]]


@pytest.fixture(scope="module")
def run(pg: PgServer, template_db: str) -> Iterator[Run]:
    name = pg.create_db(template=template_db)
    try:
        dsn = pg.dsn_for(name)
        fixture = bench.prepare(dsn, 0.02, reseed=False)
        yield dsn, fixture, bench.measure(dsn, fixture, 1)
    finally:
        pg.drop_db(name)


def test_the_bench_month_has_approved_timesheets_of_the_seeded_contracts(run: Run) -> None:
    dsn, fixture, _ = run
    with psycopg.connect(dsn) as conn:
        approved = conn.execute(
            "SELECT count(*) FROM timesheet_context.timesheets WHERE period_year = %s"
            " AND period_month = %s AND status = 'APPROVED'",
            (fixture.year, fixture.month)).fetchone()[0]
    assert approved == fixture.timesheets > 0


def test_the_floor_writes_as_many_invoices_and_lines_as_the_close(run: Run) -> None:
    _, _, rounds = run
    assert rounds[0].invoices == rounds[0].floor_rows
    assert rounds[0].invoices[0] > 0


def test_every_round_is_rolled_back_to_the_same_state(run: Run) -> None:
    dsn, fixture, _ = run
    with psycopg.connect(dsn) as conn:
        invoices = conn.execute(
            "SELECT count(*) FROM billing_context.invoices WHERE invoice_year = %s"
            " AND invoice_month = %s", (fixture.year, fixture.month)).fetchone()[0]
        floor = conn.execute("SELECT count(*) FROM bench_floor.invoices").fetchone()[0]
    assert (invoices, floor) == (0, 0)


def test_the_report_gives_the_command_both_sides_the_ratio_and_the_phases(run: Run) -> None:
    _, fixture, rounds = run
    args = argparse.Namespace(scale=0.02, runs=1)
    section = bench.render(args, fixture, rounds, "15", (1.0, 1.0))
    assert section.startswith(bench.HEADING + "\n")
    assert "bbase bench close --scale 0.02 --runs 1 --write-docs" in section
    assert "| floor: 3 × `INSERT … SELECT` |" in section
    assert "| `billing_context.close_month` |" in section
    assert re.search(r"The close takes \*\*[0-9.]+×\*\* the floor", section)
    assert "| journal entries (post_journal_entries) |" in section
