"""Small builders for Zengin tests: source-data folders, snapshots, diffs."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from bbase.staging import stage_path
from tests.pg import as_login

CREATOR = "sync-job"
APPROVER = "reviewer@example.com"
#: The database login approvals come from: never the login that created the diffs (ZG021).
REVIEWER_LOGIN = "bbase_test_reviewer"
#: A second superuser login, for direct UPDATEs of diffs the test's own login inserted.
DBA_LOGIN = "bbase_test_dba"

#: How a diff reaches each status from pending (a new diff starts pending).
WALKS = {
    "pending": [], "approved": ["approved"], "rejected": ["rejected"], "expired": ["expired"],
    "executing": ["approved", "executing"], "completed": ["approved", "executing", "completed"],
    "failed": ["approved", "executing", "failed"],
}


def insert_diff(conn: psycopg.Connection, status: str = "pending", created_by: str = CREATOR,
                ttl_days: int = 90) -> str:
    """A single-bank addition inserted pending by the connection's login, then moved along
    the state machine to ``status`` by another login (``DBA_LOGIN``)."""
    diff_id = conn.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    conn.execute(
        "INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by, ttl)"
        " VALUES (%s, 'addition', 'bank', '{}', %s,"
        " extract(epoch FROM now() + %s * interval '1 day')::bigint)",
        (diff_id, created_by, ttl_days))
    with as_login(conn, DBA_LOGIN):
        for step in WALKS[status]:
            conn.execute("UPDATE zengin.diffs SET status = %s,"
                         " approved_by = CASE WHEN %s = 'approved' THEN %s ELSE approved_by END,"
                         " rejected_by = CASE WHEN %s = 'rejected' THEN %s ELSE rejected_by END,"
                         " reject_reason = CASE WHEN %s = 'rejected' THEN 'test'"
                         " ELSE reject_reason END"
                         " WHERE id = %s", (step, step, APPROVER, step, APPROVER, step, diff_id))
    return diff_id
#: The small master below has 5 records, so changing even one of them is a
#: mass change (20 % > zengin.settings.mass_change_share, 5 %); tests that
#: change it confirm that by name, as an operator would.
CONFIRMER = "operator@example.com"


def bank(code: str, name: str, kana: str, roma: str | None = None) -> dict:
    return {"code": code, "name": name, "kana": kana, "hira": None, "roma": roma}


def write_source(folder: Path, banks: dict[str, dict], branches: dict[str, dict[str, dict]],
                 version: str = "20990101") -> Path:
    """A zengin-code style folder: banks.json, branches/<bank>.json, updated_at."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "branches").mkdir(exist_ok=True)
    (folder / "banks.json").write_text(json.dumps(banks, ensure_ascii=False), encoding="utf-8")
    for code, rows in branches.items():
        (folder / "branches" / f"{code}.json").write_text(
            json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    (folder / "updated_at").write_text(version, encoding="utf-8")
    return folder


SMALL_BANKS = {
    "0001": bank("0001", "みずほ", "ミズホ", "mizuho"),
    "0005": bank("0005", "三菱ＵＦＪ", "ミツビシユ－エフジエイ", "mitsubishiyu-efujiei"),
}
SMALL_BRANCHES = {
    "0001": {"001": bank("001", "東京営業部", "トウキヨウ", "toukyou"),
             "004": bank("004", "丸の内中央", "マルノウチチユウオウ", None)},
    "0005": {"001": bank("001", "本店", "ホンテン", "honten")},
}


def stage(conn: psycopg.Connection, folder: Path, banks: dict, branches: dict) -> int:
    return stage_path(conn, write_source(folder, banks, branches)).snapshot_id


def diff(conn: psycopg.Connection, snapshot_id: int, created_by: str = CREATOR,
         confirmed_by: str | None = None) -> int:
    """zengin.diff_snapshot; with ``confirmed_by`` the mass change is confirmed by that name."""
    row = conn.execute(
        "SELECT zengin.diff_snapshot(p_snapshot_id => %s, p_created_by => %s,"
        " p_confirm_mass_change => %s, p_confirmed_by => %s)",
        (snapshot_id, created_by, confirmed_by is not None, confirmed_by)).fetchone()
    return row[0]


def pending_ids(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT id FROM zengin.diffs WHERE status = 'pending' ORDER BY id")]


def approve(conn: psycopg.Connection, diff_id: str, approver: str = APPROVER,
            login: str = REVIEWER_LOGIN) -> str:
    """Approve as ``approver`` from the reviewer's own login; the diff's new status."""
    with as_login(conn, login):
        return conn.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, approver)).fetchone()[0]


def approve_all(conn: psycopg.Connection, approver: str = APPROVER) -> None:
    for diff_id in pending_ids(conn):
        approve(conn, diff_id, approver)


def execute(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute("SELECT * FROM zengin.execute_approved_diffs()").fetchall()


def load_small_master(conn: psycopg.Connection, folder: Path) -> None:
    """Stage, diff, approve and execute the small fixture data into an empty master."""
    snapshot_id = stage(conn, folder, SMALL_BANKS, SMALL_BRANCHES)
    diff(conn, snapshot_id)
    approve_all(conn)
    results = execute(conn)
    assert all(r[1] == "completed" for r in results), results
