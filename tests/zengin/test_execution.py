"""Execution: conflicts, failures isolated per diff, dependency order."""

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


def _count(db: psycopg.Connection, table: str, bank_code: str) -> int:
    query = f"SELECT count(*) FROM zengin.{table} WHERE bank_code = %s"  # table: a literal
    return db.execute(query, (bank_code,)).fetchone()[0]


def _rename_branch_snapshot(db: psycopg.Connection, folder: Path, name: str) -> int:
    branches = copy.deepcopy(SMALL_BRANCHES)
    branches["0001"]["001"]["name"] = name
    return stage(db, folder, SMALL_BANKS, branches)


def test_conflict_fails_the_diff_and_leaves_the_row_untouched(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    diff(db, _rename_branch_snapshot(db, tmp_path / "v2", "本店"), confirmed_by=CONFIRMER)
    approve_all(db)
    # Someone edits the row by hand after the diff was made.
    db.execute("UPDATE zengin.branches SET name = '手修正'"
               " WHERE bank_code = '0001' AND branch_code = '001'")
    [(diff_id, status, rows, error)] = execute(db)
    assert (status, rows) == ("failed", 0)
    assert "conflict" in error
    result = db.execute("SELECT execution_result FROM zengin.diffs WHERE id = %s",
                        (diff_id,)).fetchone()[0]
    assert result["success"] is False and result["conflict"] is True
    assert result["sqlstate"] == "ZG014" and "0001-001" in result["detail"]
    name = db.execute("SELECT name FROM zengin.branches"
                      " WHERE bank_code = '0001' AND branch_code = '001'").fetchone()[0]
    assert name == "手修正"


def test_addition_of_existing_row_is_a_conflict(db: psycopg.Connection, tmp_path: Path) -> None:
    snapshot_id = stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES)
    diff(db, snapshot_id)
    approve_all(db)
    db.execute("INSERT INTO zengin.banks (bank_code, name, kana) VALUES ('0005', '手入力', 'テ')")
    results = {r[1] for r in execute(db)}
    assert results == {"completed", "failed"}
    assert db.execute("SELECT name FROM zengin.banks WHERE bank_code = '0005'").fetchone()[0] \
        == "手入力"


def test_failed_diff_does_not_stop_the_others(db: psycopg.Connection, tmp_path: Path) -> None:
    load_small_master(db, tmp_path / "v1")
    banks = copy.deepcopy(SMALL_BANKS)
    branches = copy.deepcopy(SMALL_BRANCHES)
    branches["0001"]["001"]["name"] = "本店"
    branches["0005"]["001"]["name"] = "新本店"
    diff(db, stage(db, tmp_path / "v2", banks, branches), confirmed_by=CONFIRMER)
    approve_all(db)
    db.execute("UPDATE zengin.branches SET kana = 'テシユウセイ'"
               " WHERE bank_code = '0005' AND branch_code = '001'")
    outcome = sorted((r[1], r[2]) for r in execute(db))
    assert outcome == [("completed", 1), ("failed", 0)]
    assert db.execute("SELECT name FROM zengin.branches"
                      " WHERE bank_code = '0001' AND branch_code = '001'").fetchone()[0] == "本店"


def _stage_with_hiragana_kana(db: psycopg.Connection, folder: Path) -> int:
    """A snapshot holding a kana the master refuses. bbase zengin stage refuses such a
    folder; a snapshot staged before that check (or by hand) still can hold one."""
    snapshot_id = stage(db, folder, SMALL_BANKS, SMALL_BRANCHES)
    db.execute("UPDATE zengin.snapshot_banks SET kana = 'ひらがな'"
               " WHERE snapshot_id = %s AND bank_code = '0005'", (snapshot_id,))
    return snapshot_id


def test_invalid_data_fails_only_its_diff(db: psycopg.Connection, tmp_path: Path) -> None:
    diff(db, _stage_with_hiragana_kana(db, tmp_path / "v1"))
    approve_all(db)
    results = {r[0]: r for r in execute(db)}
    failed = [r for r in results.values() if r[1] == "failed"]
    assert len(failed) == 1 and "kana" in failed[0][3]
    assert _count(db, "banks", "0005") == 0
    assert _count(db, "branches", "0005") == 0


def test_bank_deletion_waits_for_its_branch_deletions(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    """Branch deletions in a diff executed later still let the bank deletion through."""
    load_small_master(db, tmp_path / "v1")
    bank_id, branch_id = [r[0] for r in db.execute("SELECT zengin.next_diff_ids(2)")]
    db.execute("""
        INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, current_data, created_by)
        SELECT %s, 'deletion', 'bank', jsonb_build_object('bankCode', bank_code),
               jsonb_build_object('bankCode', bank_code, 'bankName', name, 'bankKana', kana),
               'sync'
        FROM zengin.banks WHERE bank_code = '0005'""", (bank_id,))
    db.execute("""INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target, bank_code,
                  zengin_data, current_data) SELECT id, 1, 'deletion', 'bank', '0005',
                  zengin_data, current_data FROM zengin.diffs WHERE id = %s""", (bank_id,))
    db.execute("""
        INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, current_data, created_by)
        SELECT %s, 'deletion', 'branch', '{}', '{}', 'sync'""", (branch_id,))
    db.execute("""INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target, bank_code,
                  branch_code, zengin_data, current_data)
        SELECT %s, 1, 'deletion', 'branch', bank_code, branch_code, '{}',
               jsonb_build_object('branchName', name, 'branchKana', kana)
        FROM zengin.branches WHERE bank_code = '0005'""", (branch_id,))
    approve_all(db)
    assert sorted(r[1] for r in execute(db)) == ["completed", "completed"]
    assert _count(db, "banks", "0005") == 0


def test_unsatisfiable_dependency_fails_with_foreign_key_reason(db: psycopg.Connection) -> None:
    [diff_id] = [r[0] for r in db.execute("SELECT zengin.next_diff_ids(1)")]
    db.execute("INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by)"
               " VALUES (%s, 'addition', 'branch', '{}', 'sync')", (diff_id,))
    db.execute("""INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target, bank_code,
                  branch_code, zengin_data) VALUES (%s, 1, 'addition', 'branch', '0888', '001',
                  '{"branchName": "本店", "branchKana": "ホンテン"}')""", (diff_id,))
    approve_all(db)
    [(_, status, _, error)] = execute(db)
    assert status == "failed" and "foreign key" in error
    result = db.execute("SELECT execution_result->>'sqlstate' FROM zengin.diffs WHERE id = %s",
                        (diff_id,)).fetchone()[0]
    assert result == "23503"


def test_addition_conflict_is_reported_as_zg014_with_its_record(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    """Additions are checked by the primary key as they are inserted; still ZG014, not 23505."""
    snapshot_id = stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES)
    diff(db, snapshot_id)
    approve_all(db)
    db.execute("INSERT INTO zengin.banks (bank_code, name, kana) VALUES ('0005', '手入力', 'テ')")
    db.execute("INSERT INTO zengin.branches (bank_code, branch_code, name, kana)"
               " VALUES ('0005', '001', '手入力', 'テ')")
    failed = [r for r in execute(db) if r[1] == "failed"]
    assert len(failed) == 1
    result = db.execute("SELECT execution_result FROM zengin.diffs WHERE id = %s",
                        (failed[0][0],)).fetchone()[0]
    assert result["sqlstate"] == "ZG014" and result["conflict"] is True
    assert "0005 (addition)" in result["detail"] and "0005-001 (addition)" in result["detail"]
    assert _count(db, "branches", "0005") == 1


def test_conflict_outranks_invalid_data_in_the_same_diff(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    diff(db, _stage_with_hiragana_kana(db, tmp_path / "v1"))
    approve_all(db)
    db.execute("INSERT INTO zengin.banks (bank_code, name, kana) VALUES ('0005', '手入力', 'テ')")
    failed = [r for r in execute(db) if r[1] == "failed"]
    assert len(failed) == 1
    sqlstate = db.execute("SELECT execution_result->>'sqlstate' FROM zengin.diffs WHERE id = %s",
                          (failed[0][0],)).fetchone()[0]
    assert sqlstate == "ZG014"
