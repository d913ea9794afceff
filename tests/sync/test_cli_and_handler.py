"""The commands and the Lambda-style handler: exit codes, the summary line, JSON logs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from bbase import logs
from bbase.config import Settings
from bbase.progress import Progress
from bbase.sync import EXIT_OK, EXIT_QUARANTINED, handler
from bbase_workshop import CHECKOUT as ROOT
from tests.sync.conftest import designed_record, get_item, pg_status, put_plain

pytestmark = pytest.mark.commits


def _bbase(dsn: str, settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": dsn, "BBASE_ENV": settings.env,
           "AWS_ENDPOINT_URL": settings.aws_endpoint_url or ""}
    return subprocess.run([sys.executable, "-m", "bbase.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_sync_command_summarises_on_its_last_line_and_logs_json(fresh_dsn, ddb,
                                                                 settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-001"))
    put_plain(ddb, settings, designed_record("diff-20261122-002", bank_code="12A4"))
    proc = _bbase(fresh_dsn, settings, "sync")
    assert proc.returncode == EXIT_QUARANTINED
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("sync: run 1 succeeded: pulled=2 merged=1 quarantined=1 executed=0 "
                           "written_back=0")
    events = [json.loads(line) for line in proc.stderr.splitlines()]
    assert {"run_started", "merged", "quarantined", "run_finished"} <= {e["event"] for e in events}
    assert all({"ts", "level", "event"} <= set(e) for e in events)


def test_rerun_of_the_command_exits_0(fresh_dsn, ddb, settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-001"))
    assert _bbase(fresh_dsn, settings, "sync").returncode == EXIT_OK
    proc = _bbase(fresh_dsn, settings, "sync", "--full-resync")
    assert proc.returncode == EXIT_OK
    assert "merged=0 quarantined=0 executed=0 written_back=0" in proc.stdout


def test_bootstrap_command_is_idempotent(settings: Settings, fresh_dsn) -> None:
    proc = _bbase(fresh_dsn, settings, "aws", "bootstrap")
    assert proc.returncode == 0 and "(0 change(s))" in proc.stdout


def test_handler_runs_one_sync(conn, fresh_dsn, ddb, settings: Settings,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    put_plain(ddb, settings, designed_record("diff-20261122-001", diffType="addition",
                                             zenginData={"bankCode": "9001",
                                                         "bankName": "テスト銀行",
                                                         "bankKana": "テスト"}))
    first = handler({}, None)
    assert first["exitCode"] == EXIT_OK and first["counts"]["merged"] == 1
    from tests.pg import as_login

    # The sync adopted the record, so its login may not approve it (ZG021): a
    # reviewer approves from their own login.
    with as_login(conn, "bbase_test_reviewer"):
        conn.execute("SELECT zengin.approve_diff('diff-20261122-001', 'reviewer@example.com')")
    second = handler({"execute": True}, None)
    assert second["counts"]["executed"] == 1, second
    assert pg_status(conn, "diff-20261122-001") == "completed"
    assert conn.execute("SELECT name, kana, hira FROM zengin.banks WHERE bank_code = '9001'"
                        ).fetchone() == ("テスト銀行", "テスト", "てすと")
    assert get_item(ddb, settings, "diff-20261122-001")["status"] == "completed"


def test_progress_bar_draws_only_on_a_terminal_and_clears_for_log_lines() -> None:
    out = io.StringIO()
    with Progress("pull", total=10, stream=out, enabled=True) as bar:
        bar.advance(5)
        bar.draw(force=True)
        logs.emit("x", stream=out)
    text = out.getvalue()
    assert "5/10" in text and "\r\x1b[2K" in text
    quiet = io.StringIO()
    with Progress("pull", total=10, stream=quiet) as bar:
        bar.advance(5)
    assert quiet.getvalue() == ""
