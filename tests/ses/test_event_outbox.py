"""The SES event outbox: one door (ses_common.emit_event), in the caller's transaction, checked
arguments, and no role may knock on it directly."""

from __future__ import annotations

import uuid

import psycopg
import pytest

EMIT = "SELECT ses_common.emit_event(%s, %s, %s, %s, %s::jsonb)"
GOOD = ("ProjectOrdered", "project_context", "project", None, '{"status": "ORDERED"}')


def _args(**over: object) -> tuple[object, ...]:
    names = ("event_type", "source_context", "aggregate_type", "aggregate_id", "payload")
    values = dict(zip(names, GOOD, strict=True), aggregate_id=uuid.uuid4())
    values.update(over)
    return tuple(values[n] for n in names)


def test_an_emitted_event_is_recorded_with_its_transaction_and_login(
        db: psycopg.Connection) -> None:
    args = _args()
    event_id = db.execute(EMIT, args).fetchone()[0]
    row = db.execute(
        "SELECT event_type, source_context, aggregate_type, aggregate_id, payload,"
        " transaction_id = pg_current_xact_id(), recorded_by = session_user"
        " FROM ses_common.event_outbox WHERE event_id = %s", (event_id,)).fetchone()
    assert row == ("ProjectOrdered", "project_context", "project", args[3],
                   {"status": "ORDERED"}, True, True)


def test_an_event_vanishes_with_the_rolled_back_change(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        conn.execute(EMIT, _args())
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM ses_common.event_outbox").fetchone()[0] == 0


@pytest.mark.parametrize(("field", "value"), [
    ("event_type", "project_ordered"), ("event_type", None), ("event_type", "X"),
    ("source_context", "zengin"), ("source_context", "project_context; DROP"),
    ("aggregate_type", "Project"), ("aggregate_id", None), ("payload", "[1, 2]"),
    ("payload", None),
])
def test_a_malformed_event_is_refused_naming_the_argument(
        db: psycopg.Connection, field: str, value: object) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute(EMIT, _args(**{field: value}))
    assert exc.value.sqlstate == "SE160"
    assert exc.value.diag.column_name == f"p_{field}"


@pytest.mark.parametrize("role", ["ses_admin_role", "ses_project_manager_role",
                                  "ses_engineer_role", "ses_customer_role", "ses_finance_role",
                                  "bbase_operator", "bbase_sync"])
def test_no_role_may_emit_an_event_directly(db: psycopg.Connection, role: str) -> None:
    assert db.execute(
        "SELECT has_function_privilege(%s, 'ses_common.emit_event(text, name, text, uuid, jsonb)',"
        " 'EXECUTE')", (role,)).fetchone()[0] is False


@pytest.mark.parametrize("role", ["ses_project_manager_role", "ses_engineer_role",
                                  "ses_customer_role", "ses_finance_role", "bbase_readonly"])
def test_only_admins_read_the_outbox(db: psycopg.Connection, role: str) -> None:
    assert db.execute("SELECT has_table_privilege(%s, 'ses_common.event_outbox', 'SELECT')",
                      (role,)).fetchone()[0] is False
