"""End to end on real zengin-code releases: 20250629 into an empty master, then 20260824."""

from __future__ import annotations

import psycopg
import pytest

from bbase.staging import read_source, stage
from bbase_workshop.snapshots import fetch_snapshot
from tests.zengin.helpers import APPROVER, CREATOR, approve

pytestmark = [pytest.mark.slow, pytest.mark.commits]


def _run(conn: psycopg.Connection, version: str) -> tuple[int, int]:
    data = read_source(fetch_snapshot(version))
    snapshot_id = stage(conn, data).snapshot_id
    created = conn.execute("SELECT zengin.diff_snapshot(%s, %s)",
                           (snapshot_id, CREATOR)).fetchone()[0]
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM zengin.diffs WHERE status = 'pending' AND snapshot_id = %s",
        (snapshot_id,))]
    for diff_id in ids:
        approve(conn, diff_id, APPROVER)
    results = conn.execute("SELECT * FROM zengin.execute_approved_diffs()").fetchall()
    conn.commit()
    assert len(results) == len(ids) == created
    assert {r[1] for r in results} == {"completed"}, [r for r in results if r[1] != "completed"][:3]
    return snapshot_id, sum(r[2] for r in results)


def _master_equals_snapshot(conn: psycopg.Connection, snapshot_id: int) -> None:
    only_master, only_snapshot = conn.execute("""
        SELECT
          (SELECT count(*) FROM (SELECT bank_code, name, kana, hira, roma FROM zengin.banks
                                 EXCEPT SELECT bank_code, name, kana, hira, roma
                                 FROM zengin.snapshot_banks WHERE snapshot_id = %(s)s) x),
          (SELECT count(*) FROM (SELECT bank_code, name, kana, hira, roma
                                 FROM zengin.snapshot_banks WHERE snapshot_id = %(s)s
                                 EXCEPT SELECT bank_code, name, kana, hira, roma
                                 FROM zengin.banks) y)
    """, {"s": snapshot_id}).fetchone()
    assert (only_master, only_snapshot) == (0, 0)
    only_master, only_snapshot = conn.execute("""
        SELECT
          (SELECT count(*) FROM (SELECT bank_code, branch_code, name, kana, hira, roma
                                 FROM zengin.branches
                                 EXCEPT SELECT bank_code, branch_code, name, kana, hira, roma
                                 FROM zengin.snapshot_branches WHERE snapshot_id = %(s)s) x),
          (SELECT count(*) FROM (SELECT bank_code, branch_code, name, kana, hira, roma
                                 FROM zengin.snapshot_branches WHERE snapshot_id = %(s)s
                                 EXCEPT SELECT bank_code, branch_code, name, kana, hira, roma
                                 FROM zengin.branches) y)
    """, {"s": snapshot_id}).fetchone()
    assert (only_master, only_snapshot) == (0, 0)


def test_two_real_releases_end_to_end(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        first, rows_first = _run(conn, "20250629")
        assert conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0] == 1154
        assert conn.execute("SELECT count(*) FROM zengin.branches").fetchone()[0] == 29035
        assert rows_first == 1154 + 29035
        _master_equals_snapshot(conn, first)
        history_before = conn.execute("SELECT count(*) FROM zengin.change_history").fetchone()[0]
        assert history_before == rows_first

        second, rows_second = _run(conn, "20260824")
        assert conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0] == 1146
        assert conn.execute("SELECT count(*) FROM zengin.branches").fetchone()[0] == 28944
        _master_equals_snapshot(conn, second)

        statuses = conn.execute("SELECT DISTINCT status FROM zengin.diffs").fetchall()
        assert statuses == [("completed",)]
        # One history row per changed record, each tied to the diff that changed it.
        items, history, untied = conn.execute("""
            SELECT (SELECT count(*) FROM zengin.diff_items i JOIN zengin.diffs d ON d.id = i.diff_id
                    WHERE d.snapshot_id = %(s)s),
                   (SELECT count(*) FROM zengin.change_history h JOIN zengin.diffs d
                    ON d.id = h.diff_id WHERE d.snapshot_id = %(s)s),
                   (SELECT count(*) FROM zengin.change_history WHERE diff_id IS NULL)
        """, {"s": second}).fetchone()
        assert items == history == rows_second
        assert untied == 0
        # Nothing is left to do.
        again = stage(conn, read_source(fetch_snapshot("20260824"))).snapshot_id
        assert conn.execute("SELECT zengin.diff_snapshot(%s)", (again,)).fetchone()[0] == 0
