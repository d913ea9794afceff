"""The diff state machine has one source, zengin.diff_statuses + zengin.diff_transitions.

Every reader (the transition trigger, expiry, the sync's validation, adoption and
merge order, the glue's DynamoDB queries) follows the tables: the tests below
derive their expectations from the tables, and change the tables inside the
rolled-back transaction to prove the readers hold no list of their own.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import psycopg
import pytest

from bbase import dynamo
from bbase_workshop import CHECKOUT as ROOT
from tests.pg import as_login
from tests.zengin.helpers import APPROVER, CREATOR, insert_diff

#: Direct UPDATEs come from another DBA login than the inserting one (ZG021).
DBA = "bbase_test_dba"

#: Statuses as the design document names them; the table must hold exactly these.
DESIGNED = {"pending", "approved", "rejected", "expired", "executing", "completed", "failed"}


def _statuses(db: psycopg.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT status FROM zengin.diff_statuses ORDER BY status")]


def _transitions(db: psycopg.Connection) -> set[tuple[str, str]]:
    return set(db.execute("SELECT from_status, to_status FROM zengin.diff_transitions").fetchall())


def _diff(db: psycopg.Connection, status: str, ttl_days: int = 90) -> str:
    """Inserted pending by the admin login, walked to status by DBA."""
    return insert_diff(db, status, CREATOR, ttl_days)


def _try_transition(db: psycopg.Connection, old: str, new: str) -> str | None:
    """None when the UPDATE old -> new passes, else its SQLSTATE (undone either way)."""
    diff_id = _diff(db, old)
    try:
        with db.transaction(), as_login(db, DBA):
            db.execute("UPDATE zengin.diffs SET status = %s,"
                       " approved_by = CASE WHEN %s = 'approved' THEN %s ELSE approved_by END,"
                       " rejected_by = CASE WHEN %s = 'rejected' THEN %s ELSE rejected_by END"
                       " WHERE id = %s", (new, new, APPROVER, new, APPROVER, diff_id))
    except psycopg.Error as exc:
        return exc.sqlstate
    return None


def test_statuses_table_holds_the_designed_statuses(db: psycopg.Connection) -> None:
    assert set(_statuses(db)) == DESIGNED


def test_trigger_allows_exactly_the_transitions_in_the_table_and_raises_zg011_otherwise(
    db: psycopg.Connection,
) -> None:
    allowed = _transitions(db)
    outcome = {(old, new): _try_transition(db, old, new)
               for old, new in itertools.permutations(_statuses(db), 2)}
    assert {pair for pair, state in outcome.items() if state is None} == allowed
    assert {pair: state for pair, state in outcome.items() if pair not in allowed} == {
        pair: "ZG011" for pair in outcome if pair not in allowed}


def test_trigger_follows_a_change_of_the_transitions_table(db: psycopg.Connection) -> None:
    db.execute("INSERT INTO zengin.diff_transitions (from_status, to_status, description)"
               " VALUES ('failed', 'pending', 'test: retry')")
    db.execute("DELETE FROM zengin.diff_transitions"
               " WHERE from_status = 'pending' AND to_status = 'expired'")
    assert _try_transition(db, "failed", "pending") is None
    assert _try_transition(db, "pending", "expired") == "ZG011"


def test_zg011_hint_names_the_statuses_the_table_allows_next(db: psycopg.Connection) -> None:
    diff_id = _diff(db, "executing")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE zengin.diffs SET status = 'pending' WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG011"
    assert "completed, failed" in exc.value.diag.message_hint


def test_unknown_status_is_refused_by_the_statuses_table(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.ForeignKeyViolation) as exc:  # SQLSTATE 23503
        db.execute("INSERT INTO zengin.diff_transitions (from_status, to_status, description)"
                   " VALUES ('pending', 'archived', 'test')")
    assert exc.value.sqlstate == "23503"


@pytest.mark.parametrize("columns", [
    "status) VALUES (%s, 'addition', 'bank', 'alice', 'approved'",
    "status) VALUES (%s, 'addition', 'bank', 'alice', 'archived'",
    "approved_by) VALUES (%s, 'addition', 'bank', 'alice', 'bob'",
    "execution_result) VALUES (%s, 'addition', 'bank', 'alice', '{}'",
])
def test_a_new_diff_starts_pending_and_undecided(db: psycopg.Connection, columns: str) -> None:
    diff_id = db.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
    with pytest.raises(psycopg.Error) as exc:
        db.execute("INSERT INTO zengin.diffs (id, diff_type, target, created_by, " + columns + ")",
                   (diff_id,))
    assert exc.value.sqlstate == "ZG011"


def test_expiry_takes_the_statuses_the_table_lets_expire(db: psycopg.Connection) -> None:
    db.execute("DELETE FROM zengin.diff_transitions"
               " WHERE from_status = 'rejected' AND to_status = 'expired'")
    pending, rejected = _diff(db, "pending", ttl_days=-1), _diff(db, "rejected", ttl_days=-1)
    db.execute("SELECT zengin.expire_stale_diffs()")
    rows = dict(db.execute("SELECT id, status FROM zengin.diffs WHERE id IN (%s, %s)",
                           (pending, rejected)).fetchall())
    assert rows == {pending: "expired", rejected: "rejected"}


def test_every_transition_leads_to_a_later_stage(db: psycopg.Connection) -> None:
    stage = dict(db.execute("SELECT status, stage FROM zengin.diff_status_stages()").fetchall())
    assert set(stage) == set(_statuses(db))
    assert [(a, b) for a, b in _transitions(db) if stage[b] <= stage[a]] == []


def test_glue_reads_the_statuses_from_the_database_in_stage_order(db: psycopg.Connection) -> None:
    assert not hasattr(dynamo, "STATUSES")
    stages = db.execute("SELECT status, stage FROM zengin.diff_status_stages()").fetchall()
    got = dynamo.statuses(db)
    assert set(got) == set(_statuses(db))
    rank = dict(stages)
    assert [rank[s] for s in got] == sorted(rank[s] for s in got)


def _record(diff_id: str, status: str) -> dict[str, Any]:
    return {
        "id": diff_id, "timestamp": "2026-11-22T09:00:00.000Z", "status": status,
        "diffType": "addition", "createdBy": "alice@example.com",
        "approvedBy": APPROVER, "rejectedBy": APPROVER, "rejectReason": "test",
        "zenginData": {"bankCode": "9001", "bankName": "テスト銀行", "bankKana": "テスト"},
        "ttl": 4102444800,
    }


def test_check_record_knows_exactly_the_statuses_of_the_table(db: psycopg.Connection) -> None:
    def verdict(status: str) -> str | None:
        return db.execute("SELECT zengin_sync.check_record(%s::jsonb)",
                          (json.dumps(_record("diff-20261122-001", status)),)).fetchone()[0]

    assert {s: verdict(s) for s in _statuses(db)} == {s: None for s in _statuses(db)}
    assert verdict("archived") == "unknown status 'archived'"
    db.execute("INSERT INTO zengin.diff_statuses (status, description) VALUES ('archived', 'test')")
    assert verdict("archived") is None


def test_sync_adopts_exactly_the_statuses_marked_sync_may_adopt(db: psycopg.Connection) -> None:
    adoptable = {r[0] for r in db.execute(
        "SELECT status FROM zengin.diff_statuses WHERE sync_may_adopt")}
    assert adoptable == {"pending", "approved", "rejected"}
    outcome: dict[str, str | None] = {}
    for n, status in enumerate(_statuses(db), start=1):
        try:
            with db.transaction():
                db.execute("SELECT zengin_sync.apply_record(%s::jsonb)",
                           (json.dumps(_record(f"diff-20261122-{900 + n}", status)),))
            outcome[status] = None
        except psycopg.Error as exc:
            outcome[status] = exc.sqlstate
    assert outcome == {s: None if s in adoptable else "ZS010" for s in _statuses(db)}


def test_sync_approves_unless_postgresql_is_already_beyond_approval(
    db: psycopg.Connection,
) -> None:
    beyond = {r[0] for r in db.execute(
        "SELECT to_status FROM zengin.diff_status_paths() WHERE from_status = 'approved'")}
    assert beyond == {"executing", "completed", "failed"}
    for status in beyond:
        diff_id = _diff(db, status)
        changed = db.execute("SELECT zengin_sync.apply_record(%s::jsonb)",
                             (json.dumps(_record(diff_id, "approved")),)).fetchone()[0]
        assert changed is False
    diff_id = _diff(db, "pending")
    with as_login(db, DBA):  # the sync's login is not the one that created the diff
        db.execute("SELECT zengin_sync.apply_record(%s::jsonb)",
                   (json.dumps(_record(diff_id, "approved")),))
    assert db.execute("SELECT status FROM zengin.diffs WHERE id = %s",
                      (diff_id,)).fetchone()[0] == "approved"


#: A quoted status name, as SQL ('pending') or Python ("pending") writes it.
_QUOTED_STATUS = re.compile("['\"](" + "|".join(sorted(DESIGNED)) + ")['\"]")


def _status_lists(text: str, span: int = 160) -> list[str]:
    """Places where three or more different statuses are quoted close together: a list."""
    hits = [(m.start(), m.group(1)) for m in _QUOTED_STATUS.finditer(text)]
    found = []
    for i, (start, _) in enumerate(hits):
        near = {name for pos, name in hits[i:] if pos - start <= span}
        if len(near) >= 3:
            found.append(text[start:start + span].split("\n")[0])
    return found


def test_status_list_detector_finds_a_list() -> None:
    assert _status_lists("x IN ('pending', 'approved',\n 'rejected')")
    assert _status_lists('STATUSES = ("pending", "approved", "expired")')
    assert not _status_lists("WHEN 'approved' THEN ... 'rejected'")


def test_no_replaceable_sql_or_glue_keeps_a_second_list_of_statuses() -> None:
    files = [*(ROOT / "sql").rglob("*.sql"), *(ROOT / "glue" / "bbase").rglob("*.py")]
    lists = {str(p.relative_to(ROOT)): found for p in files
             if (found := _status_lists(p.read_text(encoding="utf-8")))}
    assert lists == {}
