"""Two runs never work at once; the job's role can do only what it needs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace

import psycopg
import pytest

from bbase.config import Settings
from bbase.errors import SyncRunLocked
from bbase.publish import publish, use_sync_role
from bbase.sync import EXIT_LOCKED, EXIT_OK, run_sync
from bbase_workshop import CHECKOUT as ROOT
from tests.sync.conftest import bank, designed_record, make_pending_diffs, put_plain

pytestmark = pytest.mark.commits


def _cli_env(dsn: str, settings: Settings) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": dsn, "BBASE_ENV": settings.env,
            "AWS_ENDPOINT_URL": settings.aws_endpoint_url or ""}


def test_second_run_exits_75_with_a_clear_message_while_the_lock_is_held(
        fresh_dsn, settings: Settings) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(hashtext('zengin_sync.run'))")
        proc = subprocess.run([sys.executable, "-m", "bbase.cli", "sync"], cwd=ROOT,
                              env=_cli_env(fresh_dsn, settings), capture_output=True,
                              text=True, timeout=120)
    assert proc.returncode == EXIT_LOCKED
    assert "another sync run holds the lock" in proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("sync: locked")


def test_two_concurrent_runs_do_not_both_work(conn, fresh_dsn, ddb, settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-001"))
    in_pull = threading.Event()
    release = threading.Event()
    results: dict[str, object] = {}

    def hold(stage: str) -> None:
        if stage == "pulled":
            in_pull.set()
            release.wait(60)

    def first() -> None:
        results["first"] = run_sync(fresh_dsn, settings, hook=hold)

    t = threading.Thread(target=first)
    t.start()
    assert in_pull.wait(60)
    with pytest.raises(SyncRunLocked, match="another sync run holds the lock"):
        run_sync(fresh_dsn, settings)
    release.set()
    t.join(60)
    assert results["first"].exit_code == EXIT_OK  # type: ignore[attr-defined]
    states = conn.execute("SELECT state FROM zengin_sync.runs ORDER BY id").fetchall()
    assert states == [("succeeded",)]


def test_sync_role_cannot_change_the_master_directly(conn) -> None:
    conn.execute("SET ROLE bbase_sync")
    for statement in ("UPDATE zengin.banks SET name = 'x'",
                      "UPDATE zengin.branches SET name = 'x'",
                      "INSERT INTO zengin.diffs (id, diff_type, target, created_by) "
                      "VALUES ('diff-20261122-001', 'addition', 'bank', 'x')",
                      "DELETE FROM zengin_sync.quarantine",
                      "UPDATE zengin_sync.remote_records SET remote_status = 'x'"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


def test_sync_role_may_write_staging(conn) -> None:
    conn.execute("SET ROLE bbase_sync")
    run_id = conn.execute("SELECT zengin_sync.begin_run('incremental')").fetchone()[0]
    conn.execute("INSERT INTO zengin_sync.staged_records (run_id, seq, item, plain) "
                 "VALUES (%s, 1, '{}', '{}')", (run_id,))
    conn.execute("SELECT zengin_sync.finish_run(%s, 'succeeded', '{}')", (run_id,))


def test_the_job_switches_to_the_sync_role(conn) -> None:
    use_sync_role(conn, "bbase_sync")
    assert conn.execute("SELECT current_user").fetchone()[0] == "bbase_sync"


def test_a_whole_run_works_as_the_sync_role(conn, fresh_dsn, ddb, s3c,
                                            settings: Settings) -> None:
    from tests.sync.conftest import review_in_dynamodb

    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    as_sync = fresh_dsn + "?options=-c%20role%3Dbbase_sync"
    with psycopg.connect(as_sync, autocommit=True) as sync_conn:
        assert sync_conn.execute("SELECT current_user").fetchone()[0] == "bbase_sync"
        assert publish(sync_conn, ddb, s3c, settings.env).published == 1
    review_in_dynamodb(ddb, settings, diff_id, "approved", "reviewer@example.com")
    result = run_sync(as_sync, replace(settings, sync_role=""), execute=True)
    assert result.exit_code == EXIT_OK, result.summary()
    assert result.counts["executed"] == 1 and result.counts["written_back"] == 1
