"""Rules that a mutation (bbase mutate, docs/testing.md) broke without any test failing:
one property per test, each named after the rule the surviving mutant broke.
"""

from __future__ import annotations

import copy
from pathlib import Path

import psycopg
import pytest

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

#: Source field -> master column.
FIELDS = {"name": "name", "kana": "kana", "hira": "hira", "roma": "roma"}
#: A new value per field that passes validation (kana: Zengin half-width rules).
NEW_VALUES = {"name": "新名称", "kana": "シンメイシヨウ", "hira": "しんめいしよう", "roma": "shinmei"}


def _changed_source(field: str, target: str) -> tuple[dict, dict]:
    banks, branches = copy.deepcopy(SMALL_BANKS), copy.deepcopy(SMALL_BRANCHES)
    record = banks["0001"] if target == "bank" else branches["0001"]["001"]
    record[field] = NEW_VALUES[field]
    if field == "kana":  # hira follows kana when the source has none: keep it as it was
        record["hira"] = "みずほ" if target == "bank" else "とうきよう"
    return banks, branches


@pytest.mark.parametrize("target", ["bank", "branch"])
@pytest.mark.parametrize("field", list(FIELDS))
def test_a_change_of_one_field_alone_is_an_update_diff(
    db: psycopg.Connection, tmp_path: Path, target: str, field: str
) -> None:
    load_small_master(db, tmp_path / "v1")
    snapshot_id = stage(db, tmp_path / "v2", *_changed_source(field, target))
    assert diff(db, snapshot_id, confirmed_by=CONFIRMER) == 1
    row = db.execute("SELECT diff_type, target FROM zengin.diffs WHERE status = 'pending'"
                     ).fetchone()
    assert row == ("update", target)


@pytest.mark.parametrize("target", ["bank", "branch"])
@pytest.mark.parametrize("field", list(FIELDS))
def test_a_live_change_of_a_compared_field_after_the_diff_is_a_conflict(
    db: psycopg.Connection, tmp_path: Path, target: str, field: str
) -> None:
    """An update diff records the row it saw; if that field changed since, executing
    it fails with ZG014 instead of overwriting the newer value."""
    load_small_master(db, tmp_path / "v1")
    branches = copy.deepcopy(SMALL_BRANCHES)
    banks = copy.deepcopy(SMALL_BANKS)
    if target == "bank":
        banks["0005"]["name"] = "三菱ＵＦＪ銀行"
        where = "bank_code = '0005'"
    else:
        branches["0005"]["001"]["name"] = "本店営業部"
        where = "bank_code = '0005' AND branch_code = '001'"
    snapshot_id = stage(db, tmp_path / "v2", banks, branches)
    assert diff(db, snapshot_id, confirmed_by=CONFIRMER) == 1
    approve_all(db)
    value = {"name": "別名", "kana": "ベツメイ", "hira": "べつめい", "roma": "betsumei"}[field]
    table = "zengin.banks" if target == "bank" else "zengin.branches"
    db.execute(f"UPDATE {table} SET {FIELDS[field]} = %s WHERE {where}", (value,))  # literals
    [(_, status, _, _)] = execute(db)
    sqlstate = db.execute("SELECT execution_result->>'sqlstate' FROM zengin.diffs"
                          " WHERE status = 'failed'").fetchone()
    assert (status, sqlstate) == ("failed", ("ZG014",))


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_bank_update_records_the_old_value_and_names_the_changed_field(
    db: psycopg.Connection, tmp_path: Path, field: str
) -> None:
    load_small_master(db, tmp_path / "v1")
    old = db.execute(f"SELECT {FIELDS[field]} FROM zengin.banks WHERE bank_code = '0001'"
                     ).fetchone()[0]  # FIELDS: literals
    db.execute(f"UPDATE zengin.banks SET {FIELDS[field]} = %s WHERE bank_code = '0001'",
               (NEW_VALUES[field],))
    row = db.execute("SELECT old_values ->> %s, new_values ->> %s, changed_fields"
                     " FROM zengin.change_history WHERE operation = 'UPDATE'"
                     " AND table_name = 'banks' AND bank_code = '0001'",
                     (field, field)).fetchall()
    assert row == [(old, NEW_VALUES[field], [field])]


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_branch_update_records_the_old_value_and_names_the_changed_field(
    db: psycopg.Connection, tmp_path: Path, field: str
) -> None:
    load_small_master(db, tmp_path / "v1")
    where = "bank_code = '0001' AND branch_code = '001'"
    old = db.execute(f"SELECT {FIELDS[field]} FROM zengin.branches WHERE {where}").fetchone()[0]
    db.execute(f"UPDATE zengin.branches SET {FIELDS[field]} = %s WHERE {where}",
               (NEW_VALUES[field],))
    row = db.execute("SELECT old_values ->> %s, new_values ->> %s, changed_fields"
                     " FROM zengin.change_history WHERE operation = 'UPDATE'"
                     " AND table_name = 'branches' AND record_key = '0001-001'",
                     (field, field)).fetchall()
    assert row == [(old, NEW_VALUES[field], [field])]
