"""A staged snapshot proves it is whole before it is diffed.

The staging tables were UNLOGGED: a crash between ``bbase zengin stage`` and
``zengin.diff_snapshot`` emptied them while the snapshot header still counted
every bank and branch, and the diff then deleted the whole master. They are
logged now (a crash keeps every committed row), and diff_snapshot compares the
staged rows with the header's counts first: a snapshot that lost rows, however
it lost them, is refused with ZG030 and nothing is diffed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bbase import migrate as mig
from bbase_workshop.pgcluster import LocalCluster, free_port
from tests.zengin.helpers import SMALL_BANKS, SMALL_BRANCHES, stage

MASTER_BANKS = [("0001", "みずほ", "ミズホ"), ("0005", "三菱ＵＦＪ", "ミツビシユ－エフジエイ")]
MASTER_BRANCHES = [("0001", "001", "東京営業部", "トウキヨウ"),
                   ("0001", "004", "丸の内中央", "マルノウチチユウオウ"),
                   ("0005", "001", "本店", "ホンテン")]


def _load_master(conn: psycopg.Connection) -> None:
    """The small master, written directly (as the owner): what SMALL_* stage."""
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO zengin.banks (bank_code, name, kana, roma)"
                        " VALUES (%s, %s, %s, %s)",
                        [(c, n, k, SMALL_BANKS[c]["roma"]) for c, n, k in MASTER_BANKS])
        cur.executemany("INSERT INTO zengin.branches (bank_code, branch_code, name, kana, roma)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        [(b, c, n, k, SMALL_BRANCHES[b][c]["roma"])
                         for b, c, n, k in MASTER_BRANCHES])


def _master(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT bank_code, NULL, name, kana, hira, roma FROM zengin.banks"
        " UNION ALL SELECT bank_code, branch_code, name, kana, hira, roma FROM zengin.branches"
        " ORDER BY 1, 2 NULLS FIRST").fetchall()


def _diffs(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM zengin.diffs").fetchone()[0]


@pytest.fixture
def own_cluster() -> Iterator[LocalCluster]:
    """A throwaway cluster of this test's own, so it can crash it."""
    base = Path(tempfile.mkdtemp(prefix="bbase-crash-"))
    os.chmod(base, 0o755)  # the server runs as the postgres OS user when we are root
    cluster = LocalCluster(datadir=base / "data", port=free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.commits
def test_a_crash_after_staging_cannot_turn_into_mass_deletion(
    own_cluster: LocalCluster, tmp_path: Path
) -> None:
    with psycopg.connect(own_cluster.dsn, autocommit=True) as conn:
        conn.execute("CREATE DATABASE crash")
    dsn = own_cluster.dsn_for("crash")
    mig.migrate(dsn)
    with psycopg.connect(dsn) as conn:
        # The throwaway cluster commits asynchronously; as in production, a commit
        # here is in the WAL when it returns, so the crash loses nothing committed.
        conn.execute("SET synchronous_commit = on")
        _load_master(conn)
        conn.commit()
        snapshot_id = stage(conn, tmp_path / "v2", SMALL_BANKS, SMALL_BRANCHES)
        master = _master(conn)
    log_size = own_cluster.logfile.stat().st_size

    own_cluster.stop(mode="immediate")  # the crash: no checkpoint, recovery on start
    own_cluster.start()

    recovery = own_cluster.logfile.read_text(encoding="utf-8", errors="replace")[log_size:]
    assert "not properly shut down; automatic recovery in progress" in recovery
    with psycopg.connect(dsn) as conn:
        header, staged = conn.execute(
            "SELECT (bank_count, branch_count)::text, ((SELECT count(*) FROM zengin.snapshot_banks"
            " WHERE snapshot_id = s.id), (SELECT count(*) FROM zengin.snapshot_branches"
            " WHERE snapshot_id = s.id))::text FROM zengin.snapshots s WHERE id = %s",
            (snapshot_id,)).fetchone()
        assert staged == header == "(2,3)"
        # The snapshot equals the master: nothing to diff, certainly no deletion.
        assert conn.execute("SELECT zengin.diff_snapshot(%s, 'operator')",
                            (snapshot_id,)).fetchone()[0] == 0
        assert _diffs(conn) == 0
        assert _master(conn) == master


def test_staging_tables_are_logged(db: psycopg.Connection) -> None:
    persistence = db.execute(
        "SELECT relname, relpersistence FROM pg_class WHERE oid IN"
        " ('zengin.snapshot_banks'::regclass, 'zengin.snapshot_branches'::regclass)"
        " ORDER BY 1").fetchall()
    assert persistence == [("snapshot_banks", "p"), ("snapshot_branches", "p")]


@pytest.mark.parametrize(("lost", "found"), [
    ("DELETE FROM zengin.snapshot_banks WHERE snapshot_id = %(s)s;"
     " DELETE FROM zengin.snapshot_branches WHERE snapshot_id = %(s)s", "0 and 0"),
    ("DELETE FROM zengin.snapshot_branches WHERE snapshot_id = %(s)s", "2 and 0"),
    ("DELETE FROM zengin.snapshot_branches WHERE snapshot_id = %(s)s AND bank_code = '0005'",
     "2 and 2"),
])
def test_a_snapshot_that_lost_staged_rows_is_refused(
    db: psycopg.Connection, tmp_path: Path, lost: str, found: str
) -> None:
    # What crash recovery did to the UNLOGGED tables, or any partial loss.
    _load_master(db)
    snapshot_id = stage(db, tmp_path / "v2", SMALL_BANKS, SMALL_BRANCHES)
    master = _master(db)
    for statement in lost.split("; "):
        db.execute(statement, {"s": snapshot_id})
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute("SELECT zengin.diff_snapshot(%s, 'operator')", (snapshot_id,))
    assert exc.value.sqlstate == "ZG030"
    message = exc.value.diag.message_primary
    assert message == (f"snapshot {snapshot_id} is not whole: its header counts 2 banks and"
                       f" 3 branches, staging holds {found}")
    assert f"snapshot_id={snapshot_id} expected_banks=2" in exc.value.diag.message_detail
    assert _diffs(db) == 0 and _master(db) == master


def test_a_snapshot_whose_header_was_never_completed_is_refused(db: psycopg.Connection) -> None:
    snapshot_id = db.execute("INSERT INTO zengin.snapshots (source) VALUES ('by hand')"
                             " RETURNING id").fetchone()[0]
    db.execute("INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana)"
               " VALUES (%s, '0999', '試験', 'シケン')", (snapshot_id,))
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.diff_snapshot(%s, 'operator')", (snapshot_id,))
    assert exc.value.sqlstate == "ZG030"
    assert "header counts no banks and no branches, staging holds 1 and 0" in str(exc.value)
