"""Grants: the sync job writes staging and calls functions, never the master directly."""

from __future__ import annotations

import psycopg
import pytest


@pytest.mark.parametrize("statement", [
    "UPDATE zengin.banks SET name = 'x'",
    "INSERT INTO zengin.banks (bank_code, name, kana) VALUES ('0999', '試験', 'シケン')",
    "DELETE FROM zengin.branches",
    "UPDATE zengin.diffs SET status = 'approved'",
    "INSERT INTO zengin.change_history (operation, table_name, bank_code, record_key)"
    " VALUES ('INSERT', 'banks', '0999', '0999')",
])
def test_sync_role_cannot_write_master_or_diffs(db: psycopg.Connection, statement: str) -> None:
    db.execute("SET ROLE bbase_sync")
    with pytest.raises(psycopg.Error) as exc:
        db.execute(statement)
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


def test_operator_can_diff_a_snapshot(db: psycopg.Connection) -> None:
    snapshot_id = db.execute(
        "INSERT INTO zengin.snapshots (source, bank_count, branch_count) VALUES ('test', 1, 0)"
        " RETURNING id").fetchone()[0]
    db.execute("INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana)"
               " VALUES (%s, '0999', '試験', 'シケン')", (snapshot_id,))
    db.execute("SET ROLE bbase_operator")
    assert db.execute("SELECT zengin.diff_snapshot(%s, 'op')", (snapshot_id,)).fetchone()[0] == 1


def test_reviewer_cannot_execute(db: psycopg.Connection) -> None:
    db.execute("SET ROLE bbase_reviewer")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.execute_approved_diffs()")
    assert exc.value.sqlstate == "42501"
