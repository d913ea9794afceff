"""The mass-change guard: a snapshot whose diffs would delete or update more than
zengin.settings.mass_change_share (default 5 %) of the master is refused with
ZG031 unless an operator confirms it by name; additions never count.

A real monthly release changes under 1 % of the master; a broken source folder
looks like a 100 % deletion.
"""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from bbase import cli

DIFF = ("SELECT zengin.diff_snapshot(p_snapshot_id => %s, p_created_by => 'importer',"
        " p_confirm_mass_change => %s, p_confirmed_by => %s)")


def _master(conn: psycopg.Connection, banks: int, branches_per_bank: int) -> int:
    """A master of banks 0001.. with branches 001.. each; returns its record count."""
    conn.execute("INSERT INTO zengin.banks (bank_code, name, kana)"
                 " SELECT lpad(b::text, 4, '0'), '銀行' || b, 'ギンコウ'"
                 " FROM generate_series(1, %s) AS b", (banks,))
    conn.execute("INSERT INTO zengin.branches (bank_code, branch_code, name, kana)"
                 " SELECT lpad(b::text, 4, '0'), lpad(r::text, 3, '0'), '支店' || r, 'シテン'"
                 " FROM generate_series(1, %s) AS b, generate_series(1, %s) AS r",
                 (banks, branches_per_bank))
    return banks * (branches_per_bank + 1)


def _snapshot(conn: psycopg.Connection, deleted: int = 0, updated: int = 0,
              empty: bool = False) -> int:
    """A staged copy of the master whose first ``deleted`` branches (in key order) are
    gone and the next ``updated`` renamed; ``empty``: no banks and no branches."""
    snapshot_id = conn.execute("INSERT INTO zengin.snapshots (source) VALUES ('test')"
                               " RETURNING id").fetchone()[0]
    if not empty:
        conn.execute("INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana, hira)"
                     " SELECT %s, bank_code, name, kana, hira FROM zengin.banks", (snapshot_id,))
        conn.execute("""
            INSERT INTO zengin.snapshot_branches
                (snapshot_id, bank_code, branch_code, name, kana, hira)
            SELECT %(s)s, bank_code, branch_code,
                CASE WHEN n > %(d)s + %(u)s THEN name ELSE name || '新' END, kana, hira
            FROM (SELECT r.*, row_number() OVER (ORDER BY bank_code, branch_code) AS n
                  FROM zengin.branches AS r) AS r
            WHERE n > %(d)s""", {"s": snapshot_id, "d": deleted, "u": updated})
    conn.execute("UPDATE zengin.snapshots AS s SET"
                 " bank_count = (SELECT count(*) FROM zengin.snapshot_banks b"
                 "               WHERE b.snapshot_id = s.id),"
                 " branch_count = (SELECT count(*) FROM zengin.snapshot_branches r"
                 "                 WHERE r.snapshot_id = s.id) WHERE s.id = %s", (snapshot_id,))
    return snapshot_id


def _refused(conn: psycopg.Connection, snapshot_id: int, confirm: bool = False,
             name: str | None = None) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as exc, conn.transaction():
        conn.execute(DIFF, (snapshot_id, confirm, name))
    return exc.value


def _items(conn: psycopg.Connection, snapshot_id: int) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT i.diff_type, count(*) FROM zengin.diffs d JOIN zengin.diff_items i"
        " ON i.diff_id = d.id WHERE d.snapshot_id = %s GROUP BY 1", (snapshot_id,)).fetchall())


def _confirmation(conn: psycopg.Connection, snapshot_id: int) -> tuple:
    return conn.execute(
        "SELECT mass_change_confirmed_by, mass_change_confirmed_role,"
        " mass_change_confirmed_at IS NOT NULL FROM zengin.snapshots WHERE id = %s",
        (snapshot_id,)).fetchone()


def test_a_snapshot_deleting_the_whole_master_is_refused(db: psycopg.Connection) -> None:
    _master(db, 10, 9)
    snapshot_id = _snapshot(db, empty=True)
    error = _refused(db, snapshot_id)
    assert error.sqlstate == "ZG031"
    assert error.diag.message_primary == (
        f"snapshot {snapshot_id} would delete or update 100 of the master's 100 records"
        " (100.00 %), more than the 5.00 % allowed without confirmation")
    assert error.diag.message_detail == (
        f"snapshot_id={snapshot_id} deletions=100 updates=0 master_records=100"
        " share=1.0000 allowed_share=0.05")
    assert "--confirm-mass-change NAME" in error.diag.message_hint
    assert _items(db, snapshot_id) == {}
    assert _confirmation(db, snapshot_id) == (None, None, False)


def test_a_confirmed_mass_deletion_is_diffed_and_the_confirmation_recorded(
    db: psycopg.Connection
) -> None:
    _master(db, 10, 9)
    snapshot_id = _snapshot(db, empty=True)
    created = db.execute(DIFF, (snapshot_id, True, " Ｈａｎａｋｏ\u3000")).fetchone()[0]
    assert created > 0
    assert _items(db, snapshot_id) == {"deletion": 100}
    session_user = db.execute("SELECT session_user").fetchone()[0]
    assert _confirmation(db, snapshot_id) == ("hanako", session_user, True)


def test_a_one_percent_change_of_a_real_size_master_passes(db: psycopg.Connection) -> None:
    records = _master(db, 1200, 25)  # 31,200 records, the size of the real master
    assert records == 31200
    snapshot_id = _snapshot(db, deleted=156, updated=156)  # 312 = 1 %
    assert db.execute(DIFF, (snapshot_id, False, None)).fetchone()[0] > 0
    assert _items(db, snapshot_id) == {"deletion": 156, "update": 156}
    assert _confirmation(db, snapshot_id) == (None, None, False)


@pytest.mark.parametrize(("deleted", "updated", "refused"), [
    (3, 2, False),   # 5 of 100: exactly 5 %, allowed
    (3, 3, True),    # 6 of 100: more than 5 %
    (0, 6, True),    # updates count as deletions do
])
def test_the_allowed_share_is_inclusive(
    db: psycopg.Connection, deleted: int, updated: int, refused: bool
) -> None:
    assert _master(db, 20, 4) == 100
    snapshot_id = _snapshot(db, deleted=deleted, updated=updated)
    if refused:
        assert _refused(db, snapshot_id).sqlstate == "ZG031"
        assert _items(db, snapshot_id) == {}
    else:
        db.execute(DIFF, (snapshot_id, False, None))
        assert _items(db, snapshot_id) == {"deletion": deleted, "update": updated}


def test_an_initial_load_into_an_empty_master_is_not_a_mass_change(
    db: psycopg.Connection
) -> None:
    _master(db, 20, 4)
    snapshot_id = _snapshot(db)
    db.execute("DELETE FROM zengin.branches")
    db.execute("DELETE FROM zengin.banks")
    assert db.execute(DIFF, (snapshot_id, False, None)).fetchone()[0] > 0
    assert _items(db, snapshot_id) == {"addition": 100}
    assert _confirmation(db, snapshot_id) == (None, None, False)


def test_the_allowed_share_is_read_from_zengin_settings(db: psycopg.Connection) -> None:
    assert db.execute("SELECT mass_change_share FROM zengin.settings").fetchone()[0] == \
        Decimal("0.05")
    _master(db, 20, 4)
    db.execute("UPDATE zengin.settings SET mass_change_share = 0.4")
    db.execute(DIFF, (_snapshot(db, deleted=40), False, None))
    db.execute("UPDATE zengin.settings SET mass_change_share = 0.01")
    assert _refused(db, _snapshot(db, deleted=42)).sqlstate == "ZG031"  # 2 new deletions


@pytest.mark.parametrize("share", ["0", "-0.1", "1.5"])
def test_the_allowed_share_must_be_a_fraction_above_zero(
    db: psycopg.Connection, share: str
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE zengin.settings SET mass_change_share = %s::numeric", (share,))
    assert exc.value.diag.constraint_name == "settings_mass_change_share_range"


def test_without_the_settings_row_every_deletion_needs_a_confirmation(
    db: psycopg.Connection
) -> None:
    _master(db, 20, 4)
    db.execute("DELETE FROM zengin.settings")
    assert _refused(db, _snapshot(db, deleted=1)).sqlstate == "ZG031"


@pytest.mark.parametrize("name", [None, "", " \t", "\u3000", "\u200b"])
def test_a_confirmation_without_a_name_is_refused(db: psycopg.Connection,
                                                  name: str | None) -> None:
    _master(db, 10, 9)
    snapshot_id = _snapshot(db, empty=True)
    error = _refused(db, snapshot_id, True, name)
    assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_confirmed_by")
    assert _items(db, snapshot_id) == {}


def test_a_name_without_the_confirmation_flag_is_refused(db: psycopg.Connection) -> None:
    _master(db, 10, 9)
    snapshot_id = _snapshot(db, empty=True)
    error = _refused(db, snapshot_id, False, "hanako")
    assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_confirm_mass_change")


@pytest.mark.commits
def test_zengin_diff_command_refuses_a_mass_change_in_one_line(
    fresh_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        _master(conn, 10, 9)
        snapshot_id = _snapshot(conn, empty=True)
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert cli.main(["zengin", "diff", str(snapshot_id)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"bbase: snapshot {snapshot_id} would delete or update 100 of")
    assert "(ZenginMassChangeUnconfirmed, SQLSTATE ZG031)" in err
    with psycopg.connect(fresh_dsn) as conn:
        assert _items(conn, snapshot_id) == {}


@pytest.mark.commits
def test_zengin_diff_command_with_a_named_confirmation_diffs_a_mass_change(
    fresh_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        _master(conn, 10, 9)
        snapshot_id = _snapshot(conn, empty=True)
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert cli.main(["zengin", "diff", str(snapshot_id),
                     "--confirm-mass-change", "hanako"]) == 0
    created = int(capsys.readouterr().out)
    with psycopg.connect(fresh_dsn) as conn:
        assert created > 0 and _items(conn, snapshot_id) == {"deletion": 100}
        assert _confirmation(conn, snapshot_id)[0] == "hanako"


def test_a_null_confirmation_flag_is_refused(db: psycopg.Connection) -> None:
    _master(db, 10, 9)
    error = _refused(db, _snapshot(db, deleted=1), None, None)
    assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_confirm_mass_change")
