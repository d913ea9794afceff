"""zengin.export_diff: the design document's record layout, camelCase, plain JSON."""

from __future__ import annotations

import re

import psycopg
import pytest


def _insert_single(db: psycopg.Connection) -> str:
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    db.execute(
        """INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, current_data, changes,
                                     created_by, ttl)
           VALUES (%s, 'update', 'branch',
                   '{"bankCode": "0001", "branchCode": "001", "branchName": "本店"}',
                   '{"bankCode": "0001", "branchCode": "001", "branchName": "本店営業部"}',
                   '{"branchName": {"old": "本店営業部", "new": "本店"}}',
                   'sync', 1712188800)""",
        (diff_id,),
    )
    return diff_id


def test_export_diff_uses_design_document_keys(db: psycopg.Connection) -> None:
    diff_id = _insert_single(db)
    record = db.execute("SELECT zengin.export_diff(%s)", (diff_id,)).fetchone()[0]
    assert record["id"] == diff_id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["timestamp"])
    assert record["status"] == "pending"
    assert record["diffType"] == "update"
    assert record["changes"] == {"branchName": {"old": "本店営業部", "new": "本店"}}
    assert record["createdBy"] == "sync"
    assert record["ttl"] == 1712188800
    assert "approvedBy" not in record  # null values are left out


def test_diff_ids_follow_day_sequence(db: psycopg.Connection) -> None:
    ids = [r[0] for r in db.execute("SELECT zengin.next_diff_ids(3)")]
    assert all(re.fullmatch(r"diff-\d{8}-\d{3,}", i) for i in ids)
    nos = [int(i.rsplit("-", 1)[1]) for i in ids]
    assert nos == list(range(nos[0], nos[0] + 3))


def test_export_unknown_diff_raises_zg010(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.export_diff('diff-20000101-001')")
    assert exc.value.sqlstate == "ZG010"
