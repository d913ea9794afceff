"""diff_snapshot, approval and execution on small data (each test rolls back)."""

from __future__ import annotations

import copy
from pathlib import Path

import psycopg

from tests.zengin.helpers import (
    CONFIRMER,
    SMALL_BANKS,
    SMALL_BRANCHES,
    approve_all,
    diff,
    execute,
    load_small_master,
    stage,
)


def _master(conn: psycopg.Connection) -> tuple[list, list]:
    banks = conn.execute(
        "SELECT bank_code, name, kana, hira, roma FROM zengin.banks ORDER BY 1").fetchall()
    branches = conn.execute(
        "SELECT bank_code, branch_code, name, kana, hira, roma FROM zengin.branches ORDER BY 1, 2"
    ).fetchall()
    return banks, branches


def test_small_snapshot_loads_into_empty_master(db: psycopg.Connection, tmp_path: Path) -> None:
    load_small_master(db, tmp_path / "v1")
    banks, branches = _master(db)
    assert [b[0] for b in banks] == ["0001", "0005"]
    assert [(b[0], b[1]) for b in branches] == [("0001", "001"), ("0001", "004"), ("0005", "001")]
    assert banks[0][3] == "みずほ"  # hira derived from kana when the source has none


def test_diff_snapshot_twice_creates_nothing_new(db: psycopg.Connection, tmp_path: Path) -> None:
    snapshot_id = stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES)
    assert diff(db, snapshot_id) > 0
    assert diff(db, snapshot_id) == 0


def test_diff_of_applied_snapshot_is_empty(db: psycopg.Connection, tmp_path: Path) -> None:
    load_small_master(db, tmp_path / "v1")
    snapshot_id = stage(db, tmp_path / "v1b", SMALL_BANKS, SMALL_BRANCHES)
    assert diff(db, snapshot_id) == 0


def test_single_change_is_a_single_update_diff_with_changes(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    branches = copy.deepcopy(SMALL_BRANCHES)
    branches["0001"]["001"]["name"] = "本店"
    snapshot_id = stage(db, tmp_path / "v2", SMALL_BANKS, branches)
    assert diff(db, snapshot_id, confirmed_by=CONFIRMER) == 1
    diff_type, target, changes, current, summary, items = db.execute(
        "SELECT diff_type, target, changes, current_data, data_summary,"
        " (SELECT count(*) FROM zengin.diff_items i WHERE i.diff_id = d.id)"
        " FROM zengin.diffs d WHERE status = 'pending'").fetchone()
    assert (diff_type, target) == ("update", "branch")
    assert changes == {"branchName": {"old": "東京営業部", "new": "本店"}}
    assert current["branchName"] == "東京営業部"
    assert summary is None and items == 1


def test_additions_updates_deletions_reach_the_master(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    banks = copy.deepcopy(SMALL_BANKS)
    branches = copy.deepcopy(SMALL_BRANCHES)
    del banks["0005"], branches["0005"]                       # bank + branch deletion
    banks["0009"] = {"code": "0009", "name": "三井住友", "kana": "ミツイスミトモ",
                     "hira": "みついすみとも", "roma": "mitsuisumitomo"}
    branches["0009"] = {"001": {"code": "001", "name": "東京", "kana": "トウキヨウ",
                                "hira": "とうきよう", "roma": "toukyou"}}
    branches["0001"]["004"]["kana"] = "マルノウチ"               # update
    snapshot_id = stage(db, tmp_path / "v2", banks, branches)
    assert diff(db, snapshot_id, confirmed_by=CONFIRMER) == 3  # one diff per bank
    approve_all(db)
    results = execute(db)
    assert {r[1] for r in results} == {"completed"}
    master_banks, master_branches = _master(db)
    assert [b[0] for b in master_banks] == ["0001", "0009"]
    assert [(b[0], b[1], b[3]) for b in master_branches] == [
        ("0001", "001", "トウキヨウ"), ("0001", "004", "マルノウチ"), ("0009", "001", "トウキヨウ")]


def test_bulk_update_has_items_and_summary(db: psycopg.Connection, tmp_path: Path) -> None:
    snapshot_id = stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES)
    diff(db, snapshot_id)
    row = db.execute(
        "SELECT id, data_summary FROM zengin.diffs WHERE diff_type = 'bulk_update'"
        " AND zengin_data IS NULL ORDER BY id LIMIT 1").fetchone()
    assert row[1] == {"totalRecords": 3, "additions": 3, "updates": 0, "deletions": 0}
    exported = db.execute("SELECT zengin.export_diff(%s)", (row[0],)).fetchone()[0]
    assert [i["target"] for i in exported["items"]] == ["bank", "branch", "branch"]
    assert exported["dataSummary"]["totalRecords"] == 3


def test_full_load_packs_banks_into_large_bulk_diffs(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    snapshot_id = stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES)
    created = db.execute("SELECT zengin.diff_snapshot(%s, 'sync', 2)", (snapshot_id,)).fetchone()[0]
    # 5 items > 2: packed, but a bank never split: 0001 (3 items) and 0005 (2 items).
    assert created == 2


def test_executed_diff_is_recorded_in_history_with_its_id(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    rows = db.execute(
        "SELECT h.operation, h.diff_id IS NOT NULL, d.status"
        " FROM zengin.get_record_history('0001', '004') h"
        " JOIN zengin.diffs d ON d.id = h.diff_id").fetchall()
    assert rows == [("INSERT", True, "completed")]


def test_manual_edit_is_recorded_with_null_diff_id(db: psycopg.Connection, tmp_path: Path) -> None:
    load_small_master(db, tmp_path / "v1")
    db.execute("UPDATE zengin.branches SET name = '東京'"
               " WHERE bank_code = '0001' AND branch_code = '001'")
    last = db.execute(
        "SELECT operation, diff_id, changed_fields, old_values->>'name', new_values->>'name'"
        " FROM zengin.get_record_history('0001', '001') ORDER BY changed_at DESC, id DESC LIMIT 1"
    ).fetchone()
    assert last == ("UPDATE", None, ["name"], "東京営業部", "東京")


def test_diff_executes_whatever_order_diffs_were_created(db: psycopg.Connection) -> None:
    """A branch-addition diff created before its bank's addition diff still executes."""
    db.execute("""
        WITH ids AS (SELECT id, row_number() OVER () AS n FROM zengin.next_diff_ids(2) AS id)
        INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by)
        SELECT id,  'addition', CASE n WHEN 1 THEN 'branch' ELSE 'bank' END, '{}', 'sync'
        FROM ids""")
    first, second = [r[0] for r in db.execute("SELECT id FROM zengin.diffs ORDER BY id")]
    db.execute("""INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target, bank_code,
                  branch_code, zengin_data) VALUES
        (%s, 1, 'addition', 'branch', '0777', '001',
         '{"bankCode": "0777", "branchCode": "001",
           "branchName": "本店", "branchKana": "ホンテン"}'),
        (%s, 1, 'addition', 'bank', '0777', NULL,
         '{"bankCode": "0777", "bankName": "試験", "bankKana": "シケン"}')""", (first, second))
    approve_all(db)
    results = execute(db)
    assert sorted((r[0], r[1]) for r in results) == [(first, "completed"), (second, "completed")]
