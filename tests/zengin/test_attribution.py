"""History rows name a diff only when that diff made the change: the setting
zengin.diff_id is believed only for a diff executing in the same transaction."""

from __future__ import annotations

import psycopg
import pytest

from tests.pg import as_login
from tests.zengin.helpers import APPROVER, REVIEWER_LOGIN


def _approved_addition(conn: psycopg.Connection) -> str:
    diff_id = conn.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    data = '{"bankCode": "0999", "bankName": "試験銀行", "bankKana": "シケン"}'
    conn.execute("INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by)"
                 " VALUES (%s, 'addition', 'bank', %s::jsonb, 'alice')", (diff_id, data))
    conn.execute("INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target, bank_code,"
                 " zengin_data) VALUES (%s, 1, 'addition', 'bank', '0999', %s::jsonb)",
                 (diff_id, data))
    with as_login(conn, REVIEWER_LOGIN):
        conn.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, APPROVER))
    return diff_id


def _manual_edit(conn: psycopg.Connection) -> None:
    conn.execute("INSERT INTO zengin.banks (bank_code, name, kana)"
                 " VALUES ('0998', '手作業', 'テサギヨウ')")


@pytest.mark.parametrize("claimed", ["approved", "unknown"])
def test_a_manual_edit_cannot_claim_a_diff(db: psycopg.Connection, claimed: str) -> None:
    diff_id = _approved_addition(db) if claimed == "approved" else "diff-20000101-001"
    db.execute("SELECT set_config('zengin.diff_id', %s, true)", (diff_id,))
    with pytest.raises(psycopg.Error) as exc:
        _manual_edit(db)
    assert exc.value.sqlstate == "ZG022"
    assert diff_id in exc.value.diag.message_primary


def test_a_completed_diff_cannot_be_claimed_afterwards(db: psycopg.Connection) -> None:
    diff_id = _approved_addition(db)
    assert db.execute("SELECT status FROM zengin.execute_approved_diffs()").fetchall() == [
        ("completed",)]
    db.execute("SELECT set_config('zengin.diff_id', %s, false)", (diff_id,))
    with pytest.raises(psycopg.Error) as exc:
        _manual_edit(db)
    assert exc.value.sqlstate == "ZG022"


def test_a_manual_edit_is_recorded_without_a_diff(db: psycopg.Connection) -> None:
    _manual_edit(db)
    assert db.execute("SELECT diff_id FROM zengin.change_history WHERE bank_code = '0998'"
                      ).fetchall() == [(None,)]


def test_an_executed_diff_is_recorded_with_its_id(db: psycopg.Connection) -> None:
    diff_id = _approved_addition(db)
    db.execute("SELECT * FROM zengin.execute_approved_diffs()")
    assert db.execute("SELECT diff_id FROM zengin.change_history WHERE bank_code = '0999'"
                      ).fetchall() == [(diff_id,)]


@pytest.mark.commits
def test_a_diff_executing_in_another_session_cannot_be_claimed(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as setup:
        diff_id = _approved_addition(setup)
    with psycopg.connect(fresh_dsn) as executing, psycopg.connect(fresh_dsn) as attacker:
        executing.execute("UPDATE zengin.diffs SET status = 'executing' WHERE id = %s", (diff_id,))
        attacker.execute("SELECT set_config('zengin.diff_id', %s, true)", (diff_id,))
        with pytest.raises(psycopg.Error) as exc:
            _manual_edit(attacker)
        executing.rollback()
    assert exc.value.sqlstate == "ZG022"
    with psycopg.connect(fresh_dsn) as check:
        assert check.execute("SELECT count(*) FROM zengin.change_history"
                             " WHERE bank_code = '0998'").fetchone()[0] == 0
