"""Where a diff's body went (data_location, data_size) is written once, while the
diff is pending, by zengin_sync.record_published; never rewritten afterwards."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.pg import as_login
from tests.zengin.helpers import APPROVER, REVIEWER_LOGIN


def _diff(db: psycopg.Connection) -> str:
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    db.execute("INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by)"
               " VALUES (%s, 'addition', 'bank', '{}', 'alice')", (diff_id,))
    return diff_id


def _published(db: psycopg.Connection, diff_id: str, location: str, size: int = 500000) -> None:
    plain = {"id": diff_id, "timestamp": "2026-11-22T09:00:00.000Z", "status": "pending",
             "dataLocation": location, "dataSize": size}
    db.execute("SET ROLE bbase_sync")
    db.execute("SELECT zengin_sync.record_published(%s::jsonb)", (json.dumps(plain),))
    db.execute("RESET ROLE")


def _location(db: psycopg.Connection, diff_id: str) -> tuple:
    return db.execute("SELECT data_location, data_size FROM zengin.diffs WHERE id = %s",
                      (diff_id,)).fetchone()


def test_publication_records_the_location_of_a_pending_diff(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    _published(db, diff_id, f"s3://dev-zengin-diff-data/diffs/{diff_id}.json")
    assert _location(db, diff_id) == (f"s3://dev-zengin-diff-data/diffs/{diff_id}.json", 500000)


def test_a_second_publication_cannot_move_the_location(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    _published(db, diff_id, f"s3://dev-zengin-diff-data/diffs/{diff_id}.json")
    _published(db, diff_id, f"s3://attacker-bucket/diffs/{diff_id}.json", 1)
    assert _location(db, diff_id) == (f"s3://dev-zengin-diff-data/diffs/{diff_id}.json", 500000)


def test_a_decided_diff_gets_no_location(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    with as_login(db, REVIEWER_LOGIN):
        db.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, APPROVER))
    _published(db, diff_id, f"s3://dev-zengin-diff-data/diffs/{diff_id}.json")
    assert _location(db, diff_id) == (None, None)


def test_a_location_outside_the_diffs_own_key_is_ignored(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    _published(db, diff_id, "s3://dev-zengin-diff-data/diffs/diff-20000101-001.json")
    assert _location(db, diff_id) == (None, None)


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_the_location_of_a_decided_diff_cannot_be_rewritten_directly(
        db: psycopg.Connection, status: str) -> None:
    diff_id = _diff(db)
    with as_login(db, REVIEWER_LOGIN):
        if status == "approved":
            db.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, APPROVER))
        else:
            db.execute("SELECT zengin.reject_diff(%s, %s, 'no')", (diff_id, APPROVER))
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE zengin.diffs SET data_location = 's3://x/diffs/y.json', data_size = 1"
                   " WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG016"
