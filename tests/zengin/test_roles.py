"""Grants: each role does its job and nothing more (the whole matrix: test_privileges.py)."""

from __future__ import annotations

import psycopg
import pytest


@pytest.mark.parametrize("statement", [
    "UPDATE zengin.banks SET name = 'x'",
    "INSERT INTO zengin.banks (bank_code, name, kana) VALUES ('0999', '試験', 'シケン')",
    "DELETE FROM zengin.branches",
    "UPDATE zengin.diffs SET status = 'approved'",
    "UPDATE zengin.diffs SET data_location = 's3://x/diffs/y.json', data_size = 1",
    "INSERT INTO zengin.change_history (operation, table_name, bank_code, record_key)"
    " VALUES ('INSERT', 'banks', '0999', '0999')",
    "INSERT INTO zengin.snapshots (source) VALUES ('forged')",
    "INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana)"
    " VALUES (1, '0999', '試験', 'シケン')",
    "UPDATE zengin.snapshots SET bank_count = 0",
])
def test_sync_role_cannot_write_master_diffs_or_snapshots(db: psycopg.Connection,
                                                          statement: str) -> None:
    db.execute("SET ROLE bbase_sync")
    with pytest.raises(psycopg.Error) as exc:
        db.execute(statement)
    assert exc.value.sqlstate == "42501"


@pytest.mark.parametrize("call", [
    "SELECT zengin.approve_diff('diff-20990101-001', 'bob')",
    "SELECT zengin.reject_diff('diff-20990101-001', 'bob', 'no')",
    "SELECT zengin.expire_stale_diffs()",
])
def test_sync_role_cannot_decide_except_by_relaying_dynamodb(db: psycopg.Connection,
                                                             call: str) -> None:
    db.execute("SET ROLE bbase_sync")
    with pytest.raises(psycopg.Error) as exc:
        db.execute(call)
    assert exc.value.sqlstate == "42501"


def test_sync_role_cannot_diff_a_snapshot(db: psycopg.Connection) -> None:
    # It relays DynamoDB's decisions (docs/sync.md); creating diffs is the operator's.
    snapshot_id = db.execute(
        "INSERT INTO zengin.snapshots (source, bank_count, branch_count) VALUES ('test', 1, 0)"
        " RETURNING id").fetchone()[0]
    db.execute("INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana)"
               " VALUES (%s, '0999', '試験', 'シケン')", (snapshot_id,))
    db.execute("SET ROLE bbase_sync")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.diff_snapshot(%s, 'sync')", (snapshot_id,))
    assert exc.value.sqlstate == "42501"


def test_operator_can_stage_and_diff(db: psycopg.Connection) -> None:
    db.execute("SET ROLE bbase_operator")
    snapshot_id = db.execute(
        "INSERT INTO zengin.snapshots (source) VALUES ('test') RETURNING id").fetchone()[0]
    db.execute("INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana)"
               " VALUES (%s, '0999', '試験', 'シケン')", (snapshot_id,))
    db.execute("UPDATE zengin.snapshots SET bank_count = 1, branch_count = 0 WHERE id = %s",
               (snapshot_id,))
    assert db.execute("SELECT zengin.diff_snapshot(%s, 'operator')",
                      (snapshot_id,)).fetchone()[0] == 1


def test_reviewer_cannot_execute(db: psycopg.Connection) -> None:
    db.execute("SET ROLE bbase_reviewer")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.execute_approved_diffs()")
    assert exc.value.sqlstate == "42501"


def test_reviewer_cannot_stage(db: psycopg.Connection) -> None:
    db.execute("SET ROLE bbase_reviewer")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("INSERT INTO zengin.snapshots (source) VALUES ('test')")
    assert exc.value.sqlstate == "42501"
