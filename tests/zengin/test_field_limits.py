"""Field length limits (the design's VARCHAR(100)) are constraints of the master and staging,
and diff ids name a calendar day and a sequence that fits an integer (migration 0179)."""

from __future__ import annotations

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BANK = "INSERT INTO zengin.banks (bank_code, name, kana, hira, roma) VALUES (%s, %s, %s, %s, %s)"
BRANCH = ("INSERT INTO zengin.branches (bank_code, branch_code, name, kana, hira, roma)"
          " VALUES (%s, %s, %s, %s, %s, %s)")


def _limit(db: psycopg.Connection) -> int:
    return db.execute("SELECT zengin.name_length_limit()").fetchone()[0]


def _refused(db: psycopg.Connection, query: str, params: tuple) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(query, params)
    return exc.value


def test_the_limit_is_the_design_documents_varchar_100(db: psycopg.Connection) -> None:
    assert _limit(db) == 100


@pytest.mark.parametrize("column", ["name", "kana", "hira", "roma"])
def test_a_bank_value_one_past_the_limit_is_refused_with_zg040_naming_field_and_length(
        db: psycopg.Connection, column: str) -> None:
    """Also holds the insert trigger's WHEN gate equal to zengin.name_length_limit(): a
    value the gate let through would meet the CHECK constraint (23514) instead."""
    n = _limit(db) + 1
    values = {"name": "試験", "kana": "シケン", "hira": "しけん", "roma": "shiken"}
    values[column] = {"name": "名", "kana": "ア", "hira": "あ", "roma": "a"}[column] * n
    err = _refused(db, BANK, ("0999", values["name"], values["kana"], values["hira"],
                              values["roma"]))
    assert err.sqlstate == "ZG040"
    assert f"invalid {column}" in err.diag.message_primary
    assert f"{n} characters, limit {n - 1}" in err.diag.message_primary


@pytest.mark.parametrize("column", ["name", "kana", "hira", "roma"])
def test_a_branch_value_one_past_the_limit_is_refused_with_zg040(
        db: psycopg.Connection, column: str) -> None:
    db.execute(BANK, ("0999", "試験", "シケン", None, None))
    n = _limit(db) + 1
    values = {"name": "本店", "kana": "ホンテン", "hira": None, "roma": None}
    values[column] = {"name": "名", "kana": "ア", "hira": "あ", "roma": "a"}[column] * n
    err = _refused(db, BRANCH, ("0999", "001", values["name"], values["kana"], values["hira"],
                                values["roma"]))
    assert err.sqlstate == "ZG040" and f"invalid {column}" in err.diag.message_primary


def test_a_value_at_the_limit_is_accepted(db: psycopg.Connection) -> None:
    n = _limit(db)
    db.execute(BANK, ("0999", "名" * n, "ア" * n, "あ" * n, "a" * n))
    assert db.execute("SELECT char_length(name) FROM zengin.banks WHERE bank_code = '0999'"
                      ).fetchone()[0] == n


def test_an_update_past_the_limit_is_refused_with_zg040(db: psycopg.Connection) -> None:
    db.execute(BANK, ("0999", "試験", "シケン", None, None))
    err = _refused(db, "UPDATE zengin.banks SET roma = %s WHERE bank_code = '0999'",
                   ("r" * 101,))
    assert err.sqlstate == "ZG040"


def test_a_huge_value_is_shown_abbreviated_in_the_error(db: psycopg.Connection) -> None:
    err = _refused(db, BANK, ("0999", "名" * 400_000, "シケン", None, None))
    assert err.sqlstate == "ZG040"
    assert len(err.diag.message_primary) < 300 and "400000 characters" in err.diag.message_primary
    assert len(err.diag.message_detail) < 300


@pytest.mark.parametrize("table", ["banks", "branches", "snapshot_banks", "snapshot_branches"])
def test_every_name_column_has_a_validated_length_constraint(
        db: psycopg.Connection, table: str) -> None:
    rows = db.execute("""
        SELECT conname, convalidated FROM pg_constraint
        WHERE conrelid = ('zengin.' || %s)::regclass AND contype = 'c' AND conname LIKE '%%_length'
        ORDER BY conname""", (table,)).fetchall()
    assert rows == [(f"{table}_{c}_length", True) for c in ("hira", "kana", "name", "roma")]


def test_the_staging_tables_refuse_a_value_past_the_limit(db: psycopg.Connection) -> None:
    snapshot_id = db.execute("INSERT INTO zengin.snapshots (source) VALUES ('test') RETURNING id"
                             ).fetchone()[0]
    err = _refused(db, "INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name)"
                       " VALUES (%s, '0999', %s)", (snapshot_id, "名" * 101))
    assert err.sqlstate == "23514" and err.diag.constraint_name == "snapshot_banks_name_length"


@pytest.mark.parametrize("diff_id", [
    "diff-20261399-001", "diff-20261100-001", "diff-20261131-001", "diff-20230229-001",
    "diff-21000229-001", "diff-00001122-001", "diff-20261122-2147483648",
    "diff-20261122-99999999999", "diff-20261122-00000000001",
])
def test_an_id_without_a_calendar_day_or_an_int4_sequence_is_not_a_diff_id(
        db: psycopg.Connection, diff_id: str) -> None:
    assert db.execute("SELECT zengin.is_diff_id(%s)", (diff_id,)).fetchone()[0] is False


@pytest.mark.parametrize("diff_id", [
    "diff-20261122-001", "diff-20240229-001", "diff-20000229-999", "diff-20261231-2147483647",
])
def test_real_days_and_sequences_are_diff_ids(db: psycopg.Connection, diff_id: str) -> None:
    assert db.execute("SELECT zengin.is_diff_id(%s)", (diff_id,)).fetchone()[0] is True


def test_zengin_diffs_refuses_an_impossible_day(db: psycopg.Connection) -> None:
    err = _refused(db, "INSERT INTO zengin.diffs (id, diff_type, target, created_by)"
                       " VALUES ('diff-20261399-001', 'addition', 'bank', 'x')", ())
    assert err.sqlstate == "23514" and err.diag.constraint_name == "diffs_id_format"


def test_find_record_problems_lists_every_problem_of_a_record(db: psycopg.Connection) -> None:
    rows = db.execute("SELECT field, sqlstate FROM zengin.find_record_problems("
                      "'branch', '12a', '1', ' ', 'abc', %s, %s)",
                      ("あ" * 101, "x" * 200)).fetchall()
    assert rows == [("bank_code", "ZG001"), ("branch_code", "ZG001"), ("name", "ZG002"),
                    ("kana", "ZG003"), ("hira", "ZG040"), ("roma", "ZG040")]


_PIECES = st.sampled_from(["0", "9", "a", "ア", "ン", "ー", "　", " ", "あ", "Ａ", "名", "\t", "x"])
_VALUE = st.one_of(st.none(), st.lists(_PIECES, max_size=6).map("".join),
                   st.tuples(_PIECES, st.integers(95, 105)).map(lambda t: t[0] * t[1]))
_CODE = st.one_of(st.none(), st.text("01a９", max_size=5))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(["bank", "branch"]), bank_code=_CODE, branch_code=_CODE,
       name=_VALUE, kana=_VALUE, hira=_VALUE, roma=_VALUE)
def test_the_fast_gate_agrees_with_find_record_problems(
        db: psycopg.Connection, target: str, bank_code: str | None, branch_code: str | None,
        name: str | None, kana: str | None, hira: str | None, roma: str | None) -> None:
    """zengin.is_clean_record (the inlinable gate of the insert triggers and of staging)
    is true exactly when zengin.find_record_problems finds nothing."""
    args = (target, bank_code, branch_code, name, kana, hira, roma)
    clean, problems = db.execute(
        "SELECT zengin.is_clean_record(%s, %s, %s, %s, %s, %s, %s),"
        " (SELECT count(*) FROM zengin.find_record_problems(%s, %s, %s, %s, %s, %s, %s))",
        args + args).fetchone()
    assert clean == (problems == 0), (args, problems)
