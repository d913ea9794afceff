"""The diff id format diff-YYYYMMDD-NNN has one rule, zengin.is_diff_id.

The CHECK on zengin.diffs and the sync's record validation call it, the id
generator satisfies it, and no other copy of the pattern is left.
"""

from __future__ import annotations

import json
import re

import psycopg
import pytest

from bbase_workshop import CHECKOUT as ROOT

IDS = [
    "diff-20261122-001", "diff-20261122-1000", "diff-00000000-000",
    "", " ", "diff-20261122-01", "diff-2026112-001", "diff-20261122-001 ", " diff-20261122-001",
    "diff-20261122-001\n", "DIFF-20261122-001", "diff_20261122_001", "diff-２０２６１１２２-００１",
    "diff-20261122-abc", "diff-20261122--01", "diff-20261122-001\x7f", "x" * 500,
    "diff-20261399-001", "diff-20260229-001", "diff-20240229-001", "diff-20261122-2147483648",
    "diff-20261122-2147483647", "diff-20261122-" + "0" * 300 + "1",
]


def _insert_passes(db: psycopg.Connection, diff_id: str) -> bool:
    try:
        with db.transaction():
            db.execute("INSERT INTO zengin.diffs (id, diff_type, target, created_by)"
                       " VALUES (%s, 'addition', 'bank', 'test')", (diff_id,))
    except psycopg.errors.CheckViolation as exc:  # SQLSTATE 23514, constraint diffs_id_format
        assert exc.diag.constraint_name == "diffs_id_format"
        return False
    return True


def _check_record_accepts_id(db: psycopg.Connection, diff_id: str) -> bool:
    record = {"id": diff_id, "timestamp": "2026-11-22T09:00:00.000Z", "status": "pending",
              "diffType": "addition", "zenginData": {"bankCode": "9001"}}
    reason = db.execute("SELECT zengin_sync.check_record(%s::jsonb)",
                        (json.dumps(record),)).fetchone()[0]
    return not (reason or "").startswith("bad id")


@pytest.mark.parametrize("diff_id", IDS)
def test_table_check_and_sync_validation_agree_with_is_diff_id(
    db: psycopg.Connection, diff_id: str
) -> None:
    rule = db.execute("SELECT zengin.is_diff_id(%s)", (diff_id,)).fetchone()[0]
    assert _insert_passes(db, diff_id) is rule
    assert _check_record_accepts_id(db, diff_id) is rule


def test_designed_ids_are_accepted_and_malformed_ones_refused(db: psycopg.Connection) -> None:
    verdicts = dict(db.execute("SELECT i, zengin.is_diff_id(i) FROM unnest(%s::text[]) AS i",
                               (IDS,)).fetchall())
    assert {i for i, ok in verdicts.items() if ok} == {
        "diff-20261122-001", "diff-20261122-1000", "diff-20240229-001", "diff-20261122-2147483647"}


def test_next_diff_ids_makes_ids_the_rule_accepts(db: psycopg.Connection) -> None:
    bad = db.execute("SELECT i FROM zengin.next_diff_ids(3) AS i"
                     " WHERE NOT zengin.is_diff_id(i)").fetchall()
    assert bad == []


def test_the_id_pattern_is_written_only_where_the_rule_is_defined() -> None:
    pattern = re.compile(r"\[0-9\]\{8\}-\[0-9\]\{3,\}")
    files = [*(ROOT / "sql").rglob("*.sql"), *(ROOT / "migrations").glob("*.sql"),
             *(ROOT / "glue" / "bbase").rglob("*.py")]
    holders = sorted(str(p.relative_to(ROOT)) for p in files
                     if pattern.search(p.read_text(encoding="utf-8")))
    assert holders == [
        "migrations/0011_zengin_diffs.sql",  # released; 0176 replaces its CHECK
        "migrations/0176_zengin_diff_id_rule.rollback.sql",
        "migrations/0176_zengin_diff_id_rule.sql",
        "migrations/0179_zengin_field_limits.rollback.sql",  # restores the 0176 rule
    ]
