"""``bbase maintain`` runs every area's scheduled maintenance in one call."""

from __future__ import annotations

import json

import psycopg
import pytest

from bbase.cli import main

pytestmark = pytest.mark.commits


def test_maintain_runs_each_installed_area_and_creates_partitions_ahead(
    fresh_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        # Drop every partition, as if the database had not been maintained for years.
        conn.execute("SELECT zengin.enforce_change_history_retention("
                     "interval '1 year', now() + interval '10 years')")
        before = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'zengin.change_history'::regclass"
        ).fetchone()[0]
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert main(["maintain"]) == 0
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [ln["task"] for ln in lines] == ["zengin", "ses_common", "report_context"]
    with psycopg.connect(fresh_dsn) as conn:
        after = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'zengin.change_history'::regclass"
        ).fetchone()[0]
        populated = conn.execute(
            "SELECT ispopulated FROM pg_matviews WHERE matviewname = 'monthly_revenue_stats'"
        ).fetchone()[0]
    assert after > before
    assert populated
