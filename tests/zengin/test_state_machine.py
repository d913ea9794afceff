"""The diff state machine and approval rules, enforced by the database."""

from __future__ import annotations

import itertools

import psycopg
import pytest

from tests.pg import as_login
from tests.zengin.helpers import APPROVER, CREATOR, REVIEWER_LOGIN, insert_diff

#: Direct UPDATEs of the tests come from another DBA login than the one that
#: inserted the diffs, as the four-eyes rule on logins (ZG021) demands.
DBA = "bbase_test_dba"

STATUSES = ("pending", "approved", "rejected", "expired", "executing", "completed", "failed")
ALLOWED = {
    ("pending", "approved"), ("pending", "rejected"), ("pending", "expired"),
    ("approved", "executing"), ("executing", "completed"), ("executing", "failed"),
    ("rejected", "expired"),
}
ILLEGAL = sorted(p for p in itertools.permutations(STATUSES, 2) if p not in ALLOWED)


def _diff(db: psycopg.Connection, status: str = "pending", created_by: str = CREATOR,
          ttl_days: int = 90) -> str:
    """Inserted pending by the admin login, walked to status by DBA."""
    return insert_diff(db, status, created_by, ttl_days)


def _approve(db: psycopg.Connection, diff_id: str, approver: str | None) -> str:
    with as_login(db, REVIEWER_LOGIN):
        return db.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, approver)).fetchone()[0]


@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_illegal_transition_is_refused(db: psycopg.Connection, old: str, new: str) -> None:
    diff_id = _diff(db, old)
    with pytest.raises(psycopg.Error) as exc, as_login(db, DBA):
        db.execute("UPDATE zengin.diffs SET status = %s, approved_by = %s WHERE id = %s",
                   (new, APPROVER, diff_id))
    assert exc.value.sqlstate == "ZG011"
    assert old in exc.value.diag.message_primary and new in exc.value.diag.message_primary


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
def test_allowed_transition_passes(db: psycopg.Connection, old: str, new: str) -> None:
    diff_id = _diff(db, old)
    with as_login(db, DBA):
        db.execute("UPDATE zengin.diffs SET status = %s,"
                   " approved_by = CASE WHEN %s = 'approved' THEN %s ELSE approved_by END,"
                   " rejected_by = CASE WHEN %s = 'rejected' THEN %s ELSE rejected_by END"
                   " WHERE id = %s", (new, new, APPROVER, new, APPROVER, diff_id))
    status = db.execute("SELECT status FROM zengin.diffs WHERE id = %s", (diff_id,)).fetchone()[0]
    assert status == new


def test_approver_may_not_be_creator(db: psycopg.Connection) -> None:
    diff_id = _diff(db, created_by="alice@example.com")
    with pytest.raises(psycopg.Error) as exc:
        _approve(db, diff_id, "Alice@Example.com")
    assert exc.value.sqlstate == "ZG013"


@pytest.mark.parametrize("approver", [None, "", "  "])
def test_approval_needs_a_named_approver(db: psycopg.Connection, approver: str | None) -> None:
    diff_id = _diff(db)
    with pytest.raises(psycopg.Error) as exc:
        _approve(db, diff_id, approver)
    assert exc.value.sqlstate == "ZG012"


def test_approve_records_approver_and_time(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    assert _approve(db, diff_id, APPROVER) == "approved"
    row = db.execute("SELECT status, approved_by, approved_at IS NOT NULL FROM zengin.diffs"
                     " WHERE id = %s", (diff_id,)).fetchone()
    assert row == ("approved", APPROVER, True)


def test_reject_needs_a_reason(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.reject_diff(%s, %s, %s)", (diff_id, APPROVER, " "))
    assert exc.value.sqlstate == "ZG017"


def test_approving_unknown_diff_raises_zg010(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.approve_diff('diff-20000101-001', %s)", (APPROVER,))
    assert exc.value.sqlstate == "ZG010"


def test_diff_content_is_immutable(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE zengin.diffs SET zengin_data = '{\"x\": 1}' WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG016"


def test_expire_stale_diffs_expires_pending_past_ttl(db: psycopg.Connection) -> None:
    stale = _diff(db, ttl_days=-1)
    fresh = _diff(db)
    assert db.execute("SELECT zengin.expire_stale_diffs()").fetchone()[0] >= 1
    rows = dict(db.execute("SELECT id, status FROM zengin.diffs WHERE id IN (%s, %s)",
                           (stale, fresh)).fetchall())
    assert rows == {stale: "expired", fresh: "pending"}


def test_new_diff_gets_a_ttl_90_days_after_creation(db: psycopg.Connection) -> None:
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    db.execute("INSERT INTO zengin.diffs (id, diff_type, target, created_by)"
               " VALUES (%s, 'addition', 'bank', 'sync')", (diff_id,))
    days = db.execute("SELECT (ttl - extract(epoch FROM timestamp)) / 86400 FROM zengin.diffs"
                      " WHERE id = %s", (diff_id,)).fetchone()[0]
    assert round(days) == 90
