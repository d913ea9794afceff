"""Execution under concurrency, with two real sessions.

A diff's conflict check locks the rows it checks (zengin.lock_diff_targets), so
a manual edit in flight while the diff executes is waited for and then fails
the diff with ZG014; it is never silently overwritten. Each diff row is locked
while it runs, so two executions never run one diff.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.zengin.helpers import (
    CONFIRMER,
    SMALL_BANKS,
    SMALL_BRANCHES,
    approve_all,
    diff,
    load_small_master,
    stage,
)

pytestmark = pytest.mark.commits

BRANCH = "bank_code = '0001' AND branch_code = '001'"


def _approved_rename(dsn: str, folder: Path) -> str:
    """A committed master and one approved diff renaming branch 0001-001 to 本店."""
    with psycopg.connect(dsn) as conn:
        load_small_master(conn, folder / "v1")
        branches = copy.deepcopy(SMALL_BRANCHES)
        branches["0001"]["001"]["name"] = "本店"
        diff(conn, stage(conn, folder / "v2", SMALL_BANKS, branches), confirmed_by=CONFIRMER)
        approve_all(conn)
        conn.commit()
        return conn.execute("SELECT id FROM zengin.diffs WHERE status = 'approved'").fetchone()[0]


def _in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = fn()
        except Exception as exc:  # reported by the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _wait_until_blocked_by(dsn: str, pid: int) -> None:
    """Until some session waits on a lock held by backend ``pid``."""
    deadline = time.monotonic() + 20
    with psycopg.connect(dsn, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            if watcher.execute("SELECT count(*) FROM pg_stat_activity"
                               " WHERE %s = ANY(pg_blocking_pids(pid))", (pid,)).fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError(f"no session waited on backend {pid}")


def _execute(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT * FROM zengin.execute_approved_diffs()").fetchall()
        conn.commit()
        return rows


def _diff_outcome(dsn: str, diff_id: str) -> tuple:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT status, execution_result ->> 'sqlstate' FROM zengin.diffs"
                            " WHERE id = %s", (diff_id,)).fetchone()


@pytest.mark.parametrize(("edit", "expected"), [
    (f"UPDATE zengin.branches SET name = '手修正' WHERE {BRANCH}", [("手修正",)]),
    (f"DELETE FROM zengin.branches WHERE {BRANCH}", []),
])
def test_a_manual_edit_in_flight_while_a_diff_executes_fails_the_diff(
    fresh_dsn: str, tmp_path: Path, edit: str, expected: list[tuple]
) -> None:
    diff_id = _approved_rename(fresh_dsn, tmp_path)
    with psycopg.connect(fresh_dsn) as editor:
        editor.execute(edit)  # in flight: the row is changed, not yet committed
        thread, outcome = _in_thread(lambda: _execute(fresh_dsn))
        _wait_until_blocked_by(fresh_dsn, editor.info.backend_pid)
        editor.commit()
    thread.join(30)
    assert "error" not in outcome
    [(done_id, status, rows, error)] = outcome["result"]
    assert (done_id, status, rows) == (diff_id, "failed", 0)
    assert "conflicts with the live master" in error and "0001-001" in error
    assert _diff_outcome(fresh_dsn, diff_id) == ("failed", "ZG014")
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute(f"SELECT name FROM zengin.branches WHERE {BRANCH}").fetchall() \
            == expected  # BRANCH: a literal above


def test_a_manual_edit_during_an_uncommitted_execution_waits_and_lands_after_it(
    fresh_dsn: str, tmp_path: Path
) -> None:
    diff_id = _approved_rename(fresh_dsn, tmp_path)
    with psycopg.connect(fresh_dsn) as executor:
        [(_, status, _, _)] = executor.execute(
            "SELECT * FROM zengin.execute_approved_diffs()").fetchall()
        assert status == "completed"

        def edit() -> None:
            with psycopg.connect(fresh_dsn) as editor:
                editor.execute(f"UPDATE zengin.branches SET name = '手修正' WHERE {BRANCH}")

        thread, outcome = _in_thread(edit)
        _wait_until_blocked_by(fresh_dsn, executor.info.backend_pid)
        executor.commit()
    thread.join(30)
    assert "error" not in outcome
    assert _diff_outcome(fresh_dsn, diff_id) == ("completed", None)
    with psycopg.connect(fresh_dsn) as conn:
        history = conn.execute(
            "SELECT diff_id, new_values ->> 'name' FROM zengin.change_history"
            " WHERE record_key = '0001-001' AND operation = 'UPDATE' ORDER BY changed_at, id"
        ).fetchall()
    assert history == [(diff_id, "本店"), (None, "手修正")]


def test_two_concurrent_executions_never_run_one_diff_twice(
    fresh_dsn: str, tmp_path: Path
) -> None:
    diff_id = _approved_rename(fresh_dsn, tmp_path)
    with psycopg.connect(fresh_dsn) as first:
        [(_, status, _, _)] = first.execute(
            "SELECT * FROM zengin.execute_approved_diffs()").fetchall()
        assert status == "completed"  # and not yet committed
        with psycopg.connect(fresh_dsn) as second:
            # It neither waits on the running diff nor runs it again.
            second.execute("SET lock_timeout = '2s'")
            assert second.execute("SELECT * FROM zengin.execute_approved_diffs()").fetchall() \
                == []
        first.commit()
    assert _diff_outcome(fresh_dsn, diff_id) == ("completed", None)
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM zengin.change_history WHERE diff_id = %s",
                            (diff_id,)).fetchone()[0] == 1


def test_a_diff_completed_by_a_concurrent_execution_is_not_run_again_by_a_waiting_one(
    fresh_dsn: str, tmp_path: Path
) -> None:
    """The waiting execution took both diffs into its queue before the other one
    completed the second: it must take the diff's row only while still approved."""
    with psycopg.connect(fresh_dsn) as conn:
        load_small_master(conn, tmp_path / "v1")
        branches = copy.deepcopy(SMALL_BRANCHES)
        branches["0001"]["001"]["name"] = "本店"
        branches["0005"]["001"]["name"] = "本店営業部"
        diff(conn, stage(conn, tmp_path / "v2", SMALL_BANKS, branches), confirmed_by=CONFIRMER)
        approve_all(conn)
        conn.commit()
        first, second = [r[0] for r in conn.execute(
            "SELECT id FROM zengin.diffs WHERE status = 'approved' ORDER BY timestamp, id")]
        bank_code, branch_code = conn.execute(
            "SELECT bank_code, branch_code FROM zengin.diff_items WHERE diff_id = %s",
            (first,)).fetchone()
    with psycopg.connect(fresh_dsn) as holder:
        holder.execute("SELECT FROM zengin.branches WHERE bank_code = %s AND branch_code = %s"
                       " FOR UPDATE", (bank_code, branch_code))
        waiting, outcome = _in_thread(lambda: _execute(fresh_dsn))  # queue: first, second
        _wait_until_blocked_by(fresh_dsn, holder.info.backend_pid)  # on the first diff
        assert [(r[0], r[1]) for r in _execute(fresh_dsn)] == [(second, "completed")]
        holder.commit()
    waiting.join(30)
    assert "error" not in outcome
    assert [(r[0], r[1]) for r in outcome["result"]] == [(first, "completed")]
    assert _diff_outcome(fresh_dsn, second) == ("completed", None)
