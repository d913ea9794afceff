"""Four eyes: a decision is taken once, by someone other than the creator, under
another database login; names are compared in canonical form.

Direct UPDATEs and INSERTs come from superuser logins (``bbase_test_dba`` and the
test server's admin) so the triggers, not the grants, are what is tested; the
login rule is also tested with real connections of real LOGIN roles.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pg import as_login, login_dsn
from tests.zengin.helpers import APPROVER, REVIEWER_LOGIN

DBA = "bbase_test_dba"
CREATOR = "alice@example.com"

#: Characters that are blank or invisible, and which a name must not hide behind.
BLANKS = ["\t", "\n", "\r", "\v", "\f", " ", "\u00a0", "\u1680", "\u2000", "\u2003", "\u2009",
          "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u0085"]
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]
NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.@-_"
#: Each example runs in a savepoint of the test's transaction, so sharing ``db`` is safe.
FIXTURE_OK = [HealthCheck.function_scoped_fixture]


def _diff(db: psycopg.Connection, created_by: str = CREATOR, ttl_days: int = 90) -> str:
    """A pending diff inserted by the connection's own (admin) login."""
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    db.execute(
        "INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by, ttl)"
        " VALUES (%s, 'addition', 'bank', '{}', %s,"
        " extract(epoch FROM now() + %s * interval '1 day')::bigint)",
        (diff_id, created_by, ttl_days))
    return diff_id


def _decide(db: psycopg.Connection, diff_id: str, decision: str, who: str = APPROVER) -> None:
    with as_login(db, REVIEWER_LOGIN):
        if decision == "approve":
            db.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, who))
        else:
            db.execute("SELECT zengin.reject_diff(%s, %s, 'not needed')", (diff_id, who))


def _sqlstate(db: psycopg.Connection, statement: str, params: tuple = (),
              login: str = DBA) -> str | None:
    """The SQLSTATE of statement run as login (undone either way), None when it passes."""
    try:
        with db.transaction(), as_login(db, login):
            db.execute(statement, params)
    except psycopg.Error as exc:
        return exc.sqlstate
    return None


# --- a decision is final ----------------------------------------------------------------

@pytest.mark.parametrize("first", ["approve", "reject"])
@pytest.mark.parametrize("second", ["approve", "reject"])
def test_a_decided_diff_cannot_be_decided_again(db: psycopg.Connection, first: str,
                                                second: str) -> None:
    diff_id = _diff(db)
    _decide(db, diff_id, first)
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        _decide(db, diff_id, second, who="bob@example.com")
    assert exc.value.sqlstate == "ZG011"
    row = db.execute("SELECT approved_by, rejected_by FROM zengin.diffs WHERE id = %s",
                     (diff_id,)).fetchone()
    assert row == ((APPROVER, None) if first == "approve" else (None, APPROVER))


@pytest.mark.parametrize("assignment", [
    "status = 'approved', approved_by = 'mallory@example.com'",
    "approved_by = 'mallory@example.com'",
    "approved_by = 'alice@example.com'",
    "approved_at = now() - interval '1 day'",
    "approved_session_user = 'someone_else'",
    "rejected_by = 'mallory@example.com'",
])
def test_an_approval_cannot_be_rewritten_by_a_direct_update(db: psycopg.Connection,
                                                             assignment: str) -> None:
    diff_id = _diff(db)
    _decide(db, diff_id, "approve")
    assert _sqlstate(db, f"UPDATE zengin.diffs SET {assignment} WHERE id = %s",
                     (diff_id,)) == "ZG011"


@pytest.mark.parametrize("assignment", [
    "status = 'rejected', rejected_by = 'mallory@example.com'",
    "rejected_by = 'mallory@example.com'",
    "reject_reason = 'another reason'",
    "rejected_at = now() - interval '1 day'",
    "approved_by = 'bob@example.com'",
])
def test_a_rejection_cannot_be_rewritten_by_a_direct_update(db: psycopg.Connection,
                                                            assignment: str) -> None:
    diff_id = _diff(db)
    _decide(db, diff_id, "reject")
    assert _sqlstate(db, f"UPDATE zengin.diffs SET {assignment} WHERE id = %s",
                     (diff_id,)) == "ZG011"


@pytest.mark.parametrize("assignment", [
    "approved_by = 'bob@example.com'",
    "rejected_by = 'bob@example.com', reject_reason = 'x'",
    "executed_at = now()",
    "execution_result = '{\"success\": true}'",
])
def test_decision_columns_of_a_pending_diff_change_only_with_the_decision(
        db: psycopg.Connection, assignment: str) -> None:
    diff_id = _diff(db)
    assert _sqlstate(db, f"UPDATE zengin.diffs SET {assignment} WHERE id = %s",
                     (diff_id,)) == "ZG011"


def test_the_decision_time_is_the_database_clock_not_the_callers(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    with as_login(db, DBA):
        db.execute("UPDATE zengin.diffs SET status = 'approved', approved_by = 'bob',"
                   " approved_at = '2000-01-01' WHERE id = %s", (diff_id,))
    assert db.execute("SELECT approved_at = now() FROM zengin.diffs WHERE id = %s",
                      (diff_id,)).fetchone()[0] is True


# --- names in canonical form ------------------------------------------------------------

def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def creator_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A creator's name and the same name disguised: case, full width, blanks, invisibles."""
    name = draw(st.text(alphabet=NAME_CHARS, min_size=1, max_size=20))
    variant = "".join(draw(st.sampled_from([c, c.upper(), _full_width(c), _full_width(c.upper())]))
                      + draw(st.sampled_from(["", "", "", *INVISIBLES])) for c in name)
    before = draw(st.lists(st.sampled_from(BLANKS + INVISIBLES), max_size=3))
    after = draw(st.lists(st.sampled_from(BLANKS + INVISIBLES), max_size=3))
    return name, "".join(before) + variant + "".join(after)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(pair=creator_variants())
def test_a_disguised_creator_is_still_the_creator(db: psycopg.Connection,
                                                  pair: tuple[str, str]) -> None:
    creator, disguised = pair
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        diff_id = _diff(db, created_by=creator)
        _decide(db, diff_id, "approve", who=disguised)
    assert exc.value.sqlstate == "ZG013"


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(pair=creator_variants())
def test_a_disguised_name_is_stored_as_the_name(db: psycopg.Connection,
                                                pair: tuple[str, str]) -> None:
    name, disguised = pair
    with db.transaction(force_rollback=True):
        diff_id = _diff(db, created_by=disguised)
        assert db.execute("SELECT created_by FROM zengin.diffs WHERE id = %s",
                          (diff_id,)).fetchone()[0] == name


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(blank=st.lists(st.sampled_from(BLANKS + INVISIBLES), max_size=6).map("".join))
def test_a_name_of_blanks_and_invisibles_names_nobody(db: psycopg.Connection, blank: str) -> None:
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        diff_id = _diff(db)
        _decide(db, diff_id, "approve", who=blank)
    assert exc.value.sqlstate == "ZG012"
    assert "approved_by" in exc.value.diag.message_primary


@pytest.mark.parametrize("field", ["created_by", "rejected_by"])
def test_a_blank_creator_or_reviewer_is_refused_naming_the_field(db: psycopg.Connection,
                                                                 field: str) -> None:
    with pytest.raises(psycopg.Error) as exc:
        if field == "created_by":
            _diff(db, created_by="\t\u3000")
        else:
            _decide(db, _diff(db), "reject", who="\u3000\u200b")
    assert exc.value.sqlstate == "ZG012"
    assert field in exc.value.diag.message_primary


def test_normalize_identity_makes_variants_equal(db: psycopg.Connection) -> None:
    got = db.execute("SELECT zengin.normalize_identity(x) FROM unnest(%s::text[]) AS x",
                     (["alice", "alice\t", "alice\u3000", "ａｌｉｃｅ", "ALICE",
                       "\u00a0Al\u200bice", "Alice  Smith", "alice\u2003smith"],)).fetchall()
    assert [r[0] for r in got] == ["alice"] * 6 + ["alice smith"] * 2


# --- logins -----------------------------------------------------------------------------

def test_the_trigger_records_the_logins_whatever_the_caller_writes(db: psycopg.Connection) -> None:
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    with as_login(db, DBA):
        db.execute("INSERT INTO zengin.diffs (id, diff_type, target, created_by,"
                   " created_session_user) VALUES (%s, 'addition', 'bank', 'alice', 'someone')",
                   (diff_id,))
    _decide(db, diff_id, "approve")
    row = db.execute("SELECT created_session_user, approved_session_user FROM zengin.diffs"
                     " WHERE id = %s", (diff_id,)).fetchone()
    assert row == (DBA, REVIEWER_LOGIN)


def test_the_login_that_created_a_diff_cannot_approve_it_under_another_name(
        db: psycopg.Connection) -> None:
    diff_id = _diff(db, created_by="alice@example.com")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin.approve_diff(%s, 'bob@example.com')", (diff_id,))
    assert exc.value.sqlstate == "ZG021"


def test_a_direct_update_by_the_creating_login_cannot_approve(db: psycopg.Connection) -> None:
    diff_id = _diff(db, created_by="alice@example.com")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE zengin.diffs SET status = 'approved', approved_by = 'bob'"
                   " WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG021"


def test_the_creating_login_may_reject(db: psycopg.Connection) -> None:
    diff_id = _diff(db)
    db.execute("SELECT zengin.reject_diff(%s, 'bob@example.com', 'wrong source')", (diff_id,))
    assert db.execute("SELECT status FROM zengin.diffs WHERE id = %s",
                      (diff_id,)).fetchone()[0] == "rejected"


@pytest.mark.commits
def test_real_logins_one_operator_cannot_both_create_and_approve(fresh_dsn: str) -> None:
    with psycopg.connect(login_dsn(fresh_dsn, "bbase_test_operator"), autocommit=True) as op:
        assert op.execute("SELECT session_user").fetchone()[0] == "bbase_test_operator"
        snapshot_id = op.execute(
            "INSERT INTO zengin.snapshots (source, bank_count, branch_count)"
            " VALUES ('test', 1, 0) RETURNING id").fetchone()[0]
        op.execute("INSERT INTO zengin.snapshot_banks (snapshot_id, bank_code, name, kana)"
                   " VALUES (%s, '0999', '試験', 'シケン')", (snapshot_id,))
        op.execute("SELECT zengin.diff_snapshot(%s, 'alice@example.com')", (snapshot_id,))
        diff_id = op.execute("SELECT id FROM zengin.diffs WHERE snapshot_id = %s",
                             (snapshot_id,)).fetchone()[0]
        with pytest.raises(psycopg.Error) as exc:
            op.execute("SELECT zengin.approve_diff(%s, 'bob@example.com')", (diff_id,))
        assert exc.value.sqlstate == "ZG021"
    with psycopg.connect(login_dsn(fresh_dsn, "bbase_test_operator2"), autocommit=True) as other:
        assert other.execute("SELECT zengin.approve_diff(%s, 'bob@example.com')",
                             (diff_id,)).fetchone()[0] == "approved"
        row = other.execute("SELECT created_session_user, approved_session_user, approved_by"
                            " FROM zengin.diffs WHERE id = %s", (diff_id,)).fetchone()
    assert row == ("bbase_test_operator", "bbase_test_operator2", "bob@example.com")


# --- relayed decisions ------------------------------------------------------------------

def _record(diff_id: str, status: str, **extra: str) -> str:
    return json.dumps({
        "id": diff_id, "timestamp": "2026-11-22T09:00:00.000Z", "status": status,
        "diffType": "addition", "createdBy": "carol@example.com",
        "zenginData": {"bankCode": "9001", "bankName": "テスト銀行", "bankKana": "テスト"},
        "ttl": 4102444800, **extra})


def test_an_approval_arriving_with_an_adopted_record_is_not_relayed(db: psycopg.Connection) -> None:
    with as_login(db, "bbase_test_dba"):
        db.execute("SELECT zengin_sync.apply_record(%s::jsonb)",
                   (_record("diff-20261122-901", "approved", approvedBy=APPROVER),))
    row = db.execute("SELECT status, approved_by, created_session_user FROM zengin.diffs"
                     " WHERE id = 'diff-20261122-901'").fetchone()
    assert row == ("pending", None, "bbase_test_dba")


def test_the_adopting_login_cannot_relay_a_later_approval(db: psycopg.Connection) -> None:
    with as_login(db, "bbase_test_dba"):
        db.execute("SELECT zengin_sync.apply_record(%s::jsonb)",
                   (_record("diff-20261122-902", "pending"),))
    assert _sqlstate(db, "SELECT zengin_sync.apply_record(%s::jsonb)",
                     (_record("diff-20261122-902", "approved", approvedBy=APPROVER),)) == "ZG021"


def test_a_reviewer_login_approves_an_adopted_diff(db: psycopg.Connection) -> None:
    with as_login(db, "bbase_test_dba"):
        db.execute("SELECT zengin_sync.apply_record(%s::jsonb)",
                   (_record("diff-20261122-903", "approved", approvedBy=APPROVER),))
    _decide(db, "diff-20261122-903", "approve")
    assert db.execute("SELECT status FROM zengin.diffs WHERE id = 'diff-20261122-903'"
                      ).fetchone()[0] == "approved"
