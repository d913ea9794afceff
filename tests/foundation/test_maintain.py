"""``bbase maintain`` runs every installed area's scheduled maintenance in one call.

The tasks and which apply are decided in SQL (``bbase.run_maintenance()``); a
database with no area installed makes the command fail, so a scheduler notices.
"""

from __future__ import annotations

import json

import psycopg
import psycopg.sql
import pytest

from bbase import migrate as mig
from bbase.cli import main
from bbase.commands.maintain import NOTHING_INSTALLED

pytestmark = pytest.mark.commits


def test_maintain_runs_each_installed_area_and_creates_partitions_ahead(
    fresh_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        # Drop every partition by hand, as if the database had not been maintained for
        # years (no maintenance function drops a partition younger than a year).
        for (name,) in conn.execute(
                "SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid"
                " WHERE h.inhparent = 'zengin.change_history'::regclass").fetchall():
            conn.execute(psycopg.sql.SQL("DROP TABLE zengin.{}").format(
                psycopg.sql.Identifier(name)))
        before = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'zengin.change_history'::regclass"
        ).fetchone()[0]
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert main(["maintain"]) == 0
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [ln["task"] for ln in lines] == [
        "zengin", "ses_common", "ses_events", "report_context", "billing_context"]
    with psycopg.connect(fresh_dsn) as conn:
        after = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'zengin.change_history'::regclass"
        ).fetchone()[0]
        populated = conn.execute(
            "SELECT ispopulated FROM pg_matviews WHERE matviewname = 'monthly_revenue_stats'"
        ).fetchone()[0]
    assert after > before
    assert populated


def test_maintain_on_an_empty_database_exits_non_zero_with_one_line(
    empty_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_dsn)
    assert main(["maintain"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"bbase: {NOTHING_INSTALLED}"]


def test_maintain_with_the_foundation_alone_exits_non_zero(
    empty_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mig.migrate(empty_dsn, only=["0001"])
    with psycopg.connect(empty_dsn) as conn:
        assert conn.execute("SELECT bbase.run_maintenance()").fetchone()[0] == {}
    monkeypatch.setenv("DATABASE_URL", empty_dsn)
    assert main(["maintain"]) == 1
    assert capsys.readouterr().err.startswith("bbase: no area of the product is installed")


def test_run_maintenance_calls_only_the_installed_areas(empty_dsn: str) -> None:
    # The foundation and Zengin (0010-0012, 0175-0176), no SES.
    mig.migrate(empty_dsn, only=["0001", "001", "0175_zengin", "0176_zengin"])
    with psycopg.connect(empty_dsn) as conn:
        result = conn.execute("SELECT bbase.run_maintenance()").fetchone()[0]
    assert set(result) == {"zengin"}
    assert set(result["zengin"]) == {"partitionsCreated", "partitionsDropped", "diffsExpired"}


def test_run_maintenance_reports_one_key_per_task_of_a_full_install(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        result = conn.execute("SELECT bbase.run_maintenance()").fetchone()[0]
    assert set(result) == {"zengin", "ses_common", "ses_events", "report_context",
                           "billing_context"}
    assert set(result["ses_common"]) == {"partitionsCreated", "bankHolidaysWritten"}
    assert result["billing_context"] == {"invoicesOverdue": 0}
    idle = {"claimed": 0, "done": 0, "retrying": 0, "dead": 0}
    assert result["ses_events"] == {"notifications": idle, "reports": idle}
    assert [v["view"] for v in result["report_context"]["viewsRefreshed"]] == [
        "report_context.integrated_dashboard_stats", "report_context.monthly_revenue_stats"]


def test_each_view_maintenance_refreshes_reports_how_long_it_took(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        result = conn.execute("SELECT bbase.run_maintenance()").fetchone()[0]
    refreshed = result["report_context"]["viewsRefreshed"]
    assert refreshed and all(set(v) == {"view", "seconds"} and isinstance(v["seconds"], int | float)
                             and v["seconds"] >= 0 for v in refreshed)


def test_run_maintenance_is_executable_by_operators_only(fresh_dsn: str) -> None:
    # The sync job has its own maintain step (zengin_sync.run_maintenance()); the
    # scheduler runs bbase maintain with an operator's login.
    with psycopg.connect(fresh_dsn) as conn:
        allowed = {role: conn.execute(
            "SELECT has_schema_privilege(%s, 'bbase', 'USAGE')"
            " AND has_function_privilege(%s, 'bbase.run_maintenance()', 'EXECUTE')",
            (role, role)).fetchone()[0]
            for role in ("bbase_sync", "bbase_operator", "bbase_reviewer", "bbase_readonly")}
    assert allowed == {"bbase_sync": False, "bbase_operator": True,
                       "bbase_reviewer": False, "bbase_readonly": False}


def test_zengin_and_sync_maintenance_report_the_same_keys(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        zengin = conn.execute("SELECT zengin.run_maintenance()").fetchone()[0]
        conn.execute("SET ROLE bbase_sync")
        sync = conn.execute("SELECT zengin_sync.run_maintenance()").fetchone()[0]
    assert set(sync) == set(zengin) == {"partitionsCreated", "partitionsDropped", "diffsExpired"}
