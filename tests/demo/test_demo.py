"""The README's first command: the main job runs end to end and leaves the master as the
second real snapshot says (less the one diff the reviewer rejects)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bbase_workshop import CHECKOUT as ROOT
from bbase_workshop.pooler import pgbouncer_installed
from tests.pg import PgServer

pytestmark = [pytest.mark.commits, pytest.mark.slow]


def test_demo_runs_the_whole_pipeline_and_a_rerun_of_the_job_changes_nothing(
    pg: PgServer, tmp_path: Path
) -> None:
    report = tmp_path / "review.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [sys.executable, "-m", "bbase.cli", "demo", "--server", pg.admin_dsn,
         "--report", str(report)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    if pgbouncer_installed():
        assert "pooler    PgBouncer on 127.0.0.1:" in out, "work goes through a pooler"
    assert "PostgreSQL: 135 completed, 1 rejected" in out
    assert "quarantined=0" in out
    last_sync = [ln for ln in out.splitlines() if "sync: run 3" in ln][0]
    assert "merged=0" in last_sync and "written_back=0" in last_sync
    reviewed = set(re.findall(r"diff-\d{8}-\d{3,}", report.read_text(encoding="utf-8")))
    assert len(reviewed) == 136, "the review report shows every pending diff of the second release"
    with psycopg.connect(pg.dsn_for("bbase_demo")) as conn:
        banks = conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0]
        open_diffs = conn.execute(
            "SELECT count(*) FROM zengin.diffs WHERE status IN ('pending', 'approved', 'executing')"
        ).fetchone()[0]
    assert banks == 1146
    assert open_diffs == 0
