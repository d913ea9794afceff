"""The README's first command: the main job runs end to end and leaves the master as the
second real snapshot says (less the one diff the reviewer rejects); then a small SES company
lives its last months through the workflow functions in the same database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from bbase_workshop import CHECKOUT as ROOT
from bbase_workshop.pooler import pgbouncer_installed
from tests.pg import PgServer

pytestmark = [pytest.mark.commits, pytest.mark.slow]


@dataclass
class DemoRun:
    out: str
    report: Path
    dsn: str


@pytest.fixture(scope="module")
def demo(pg: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """One run of the demo (about a minute), shared by the tests of this module."""
    report = tmp_path_factory.mktemp("demo") / "review.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [sys.executable, "-m", "bbase.cli", "demo", "--server", pg.admin_dsn,
         "--report", str(report)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    yield DemoRun(done.stdout, report, pg.dsn_for("bbase_demo"))


def test_demo_runs_the_whole_pipeline_and_a_rerun_of_the_job_changes_nothing(
    demo: DemoRun,
) -> None:
    out = demo.out
    if pgbouncer_installed():
        assert "pooler    PgBouncer on 127.0.0.1:" in out, "work goes through a pooler"
    assert "PostgreSQL: 135 completed, 1 rejected" in out
    assert "quarantined=0" in out
    last_sync = [ln for ln in out.splitlines() if "sync: run 3" in ln][0]
    assert "merged=0" in last_sync and "written_back=0" in last_sync
    reviewed = set(re.findall(r"diff-\d{8}-\d{3,}", demo.report.read_text(encoding="utf-8")))
    assert len(reviewed) == 136, "the review report shows every pending diff of the second release"
    with psycopg.connect(demo.dsn) as conn:
        banks = conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0]
        open_diffs = conn.execute(
            "SELECT count(*) FROM zengin.diffs WHERE status IN ('pending', 'approved', 'executing')"
        ).fetchone()[0]
    assert banks == 1146
    assert open_diffs == 0


def test_demo_closes_ses_months_into_invoices_with_their_events_and_notifications(
    demo: DemoRun,
) -> None:
    assert "[4] SES" in demo.out
    with psycopg.connect(demo.dsn) as conn:
        invoices, by_close, with_event = conn.execute("""
            SELECT count(*),
                   count(*) FILTER (WHERE i.billing_details ->> 'closedBy'
                                    = 'billing_context.close_month'),
                   count(*) FILTER (WHERE EXISTS (
                       SELECT FROM ses_common.event_outbox o
                       WHERE o.aggregate_id = i.id AND o.event_type = 'InvoiceIssued'))
            FROM billing_context.invoices i WHERE i.direction = 'RECEIVABLE'
        """).fetchone()
        months_closed = conn.execute(
            "SELECT count(DISTINCT (invoice_year, invoice_month)) FROM billing_context.invoices"
        ).fetchone()[0]
        deliveries = conn.execute("""
            SELECT count(*) FROM notification_context.notification_deliveries d
            JOIN notification_context.notifications n
              ON n.id = d.notification_id AND n.created_at = d.notification_created_at
            WHERE n.notification_type = 'INVOICE_ISSUED'
        """).fetchone()[0]
    assert invoices > 0
    assert by_close == with_event == invoices
    assert months_closed == 3
    assert deliveries > 0
    issued = [ln for ln in demo.out.splitlines() if re.search(r"\d{4}-\d{2}: \d+ invoices", ln)]
    assert len(issued) == 3, demo.out
