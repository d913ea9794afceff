"""A pending diff past its ttl cannot be approved: it is expired on the spot, for good."""

from __future__ import annotations

import psycopg
import pytest

from tests.pg import as_login, login_dsn
from tests.zengin.helpers import APPROVER, REVIEWER_LOGIN


def _diff(db: psycopg.Connection, ttl_days: int) -> str:
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    db.execute(
        "INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by, ttl)"
        " VALUES (%s, 'addition', 'bank', '{}', 'alice',"
        " extract(epoch FROM now() + %s * interval '1 day')::bigint)", (diff_id, ttl_days))
    return diff_id


def test_approving_a_diff_past_its_ttl_expires_it_instead(db: psycopg.Connection) -> None:
    warnings: list[str | None] = []
    db.add_notice_handler(lambda d: warnings.append(d.sqlstate))
    diff_id = _diff(db, ttl_days=-1)
    with as_login(db, REVIEWER_LOGIN):
        status = db.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, APPROVER)).fetchone()[0]
    row = db.execute("SELECT status, approved_by FROM zengin.diffs WHERE id = %s",
                     (diff_id,)).fetchone()
    assert (status, row) == ("expired", ("expired", None))
    assert "ZG020" in warnings


def test_a_diff_within_its_ttl_is_approved(db: psycopg.Connection) -> None:
    diff_id = _diff(db, ttl_days=1)
    with as_login(db, REVIEWER_LOGIN):
        assert db.execute("SELECT zengin.approve_diff(%s, %s)",
                          (diff_id, APPROVER)).fetchone()[0] == "approved"


def test_a_direct_update_approving_a_diff_past_its_ttl_is_refused_with_zg020(
        db: psycopg.Connection) -> None:
    diff_id = _diff(db, ttl_days=-1)
    with pytest.raises(psycopg.Error) as exc, as_login(db, "bbase_test_dba"):
        db.execute("UPDATE zengin.diffs SET status = 'approved', approved_by = 'bob'"
                   " WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG020"


def test_the_ttl_of_a_diff_cannot_be_pushed_back(db: psycopg.Connection) -> None:
    diff_id = _diff(db, ttl_days=-1)
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE zengin.diffs SET ttl = ttl + 86400 * 365 WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG016"


@pytest.mark.commits
def test_the_expiry_at_approval_is_committed_by_the_call_itself(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as admin:
        diff_id = _diff(admin, ttl_days=-1)
    with psycopg.connect(login_dsn(fresh_dsn, REVIEWER_LOGIN), autocommit=True) as reviewer:
        assert reviewer.execute("SELECT zengin.approve_diff(%s, %s)",
                                (diff_id, APPROVER)).fetchone()[0] == "expired"
    with psycopg.connect(fresh_dsn) as other:
        assert other.execute("SELECT status FROM zengin.diffs WHERE id = %s",
                             (diff_id,)).fetchone()[0] == "expired"
        with as_login(other, REVIEWER_LOGIN), pytest.raises(psycopg.Error) as exc:
            other.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, APPROVER))
    assert exc.value.sqlstate == "ZG011"


@pytest.mark.commits
def test_the_approve_command_exits_1_for_a_diff_past_its_ttl(
        fresh_dsn: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bbase.cli import main

    with psycopg.connect(fresh_dsn, autocommit=True) as admin:
        diff_id = _diff(admin, ttl_days=-1)
    monkeypatch.setenv("DATABASE_URL", login_dsn(fresh_dsn, REVIEWER_LOGIN))
    code = main(["zengin", "approve", diff_id, "--approver", APPROVER])
    err = capsys.readouterr().err
    assert code == 1 and "ZG020" in err and diff_id in err
