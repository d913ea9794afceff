"""SES event consumers: each of the document's events becomes exactly its notification or report
row, each event is handled once per consumer however many sessions consume at once, a failing
handler retries with backoff and ends DEAD with its error without holding up the others, and
consuming again creates nothing new. The handlers run here are notification_context.notify_event
and report_context.record_event_statistics, which ses_common.consume_events calls by the names
ses_common.event_consumers holds (so no call to them appears in the SQL)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import psycopg
import pytest

from tests.ses.conftest import SAMPLE_ROWS, insert_row

EMIT = "SELECT ses_common.emit_event(%s, %s, %s, %s, %s::jsonb)"
CONSUME = "SELECT claimed, done, retrying, dead FROM ses_common.consume_events(%s, %s)"

# event type -> (source context, aggregate type, payload id field, notification type)
NOTIFIED = {
    "ProjectOrdered": ("project_context", "project", "project_id", "PROJECT_ORDERED"),
    "ContractSigned": ("contract_context", "contract", "contract_id", "CONTRACT_SIGNED"),
    "TimesheetSubmitted": ("timesheet_context", "timesheet", "timesheet_id", "TIMESHEET_SUBMITTED"),
    "InvoiceIssued": ("billing_context", "invoice", "invoice_id", "INVOICE_ISSUED"),
}
IN_APP = "5e5e0188-0000-4000-8000-000000000001"


def make_project(conn: psycopg.Connection) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A project with its own project manager and sales manager: (project, pm, sm)."""
    pm, sm = uuid.uuid4(), uuid.uuid4()
    values = dict(SAMPLE_ROWS["project_context.projects"], project_code=f"PRJ-{pm.hex[:8].upper()}",
                  project_manager_id=pm, sales_manager_id=sm)
    return insert_row(conn, "project_context.projects", values)["id"], pm, sm


def emit(conn: psycopg.Connection, event_type: str, payload: dict | None = None,
         context: str = "project_context", aggregate: str = "project",
         aggregate_id: uuid.UUID | None = None) -> uuid.UUID:
    return conn.execute(EMIT, (event_type, context, aggregate, aggregate_id or uuid.uuid4(),
                               psycopg.types.json.Jsonb(payload or {}))).fetchone()[0]


def emit_notified(conn: psycopg.Connection, event_type: str) -> tuple[uuid.UUID, set[uuid.UUID]]:
    """Emit one of the notified events about a fresh project; (event id, its recipients)."""
    project, pm, sm = make_project(conn)
    context, aggregate, id_field, _ = NOTIFIED[event_type]
    other = uuid.uuid4()
    if event_type == "ProjectOrdered":
        return emit(conn, event_type, {"project_id": str(project), "status": "ORDERED"},
                    context, aggregate, project), {pm, sm}
    if event_type == "ContractSigned":
        return emit(conn, event_type, {id_field: str(other), "project_id": str(project)},
                    context, aggregate, other), {pm, sm}
    approver = uuid.uuid4()
    if event_type == "TimesheetSubmitted":
        return emit(conn, event_type, {id_field: str(other), "project_id": str(project),
                                       "approver_id": str(approver)},
                    context, aggregate, other), {pm, approver}
    # InvoiceIssued: a camelCase payload, as billing writes it
    return emit(conn, event_type, {"invoiceId": str(other), "projectId": str(project),
                                   "totalAmount": 330000, "finance_user_id": str(approver)},
                context, aggregate, other), {sm, approver}


def consume(conn: psycopg.Connection, consumer: str, batch: int = 100) -> tuple[int, ...]:
    return conn.execute(CONSUME, (consumer, batch)).fetchone()


def add_failing_consumer(conn: psycopg.Connection, max_attempts: int = 3) -> None:
    """A consumer whose handler fails on events whose payload says so."""
    conn.execute("""
        CREATE FUNCTION public.fail_when_told(p_event jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO public.handled_by_test VALUES ((p_event ->> 'event_id')::uuid);
            IF (p_event -> 'payload' ->> 'fail')::boolean THEN
                RAISE EXCEPTION 'told to fail' USING ERRCODE = 'SE163';
            END IF;
        END $$""")
    conn.execute("CREATE TABLE public.handled_by_test (event_id uuid)")
    conn.execute(
        "INSERT INTO ses_common.event_consumers (consumer, handler_schema, handler_name,"
        " max_attempts, backoff_base, backoff_max) VALUES ('flaky', 'public', 'fail_when_told',"
        " %s, '10 seconds', '1 hour')", (max_attempts,))


@pytest.mark.parametrize("event_type", sorted(NOTIFIED))
def test_each_notified_event_becomes_exactly_its_notification_with_one_delivery_per_channel(
        db: psycopg.Connection, event_type: str) -> None:
    event_id, recipients = emit_notified(db, event_type)
    assert consume(db, "notifications") == (1, 1, 0, 0)
    rows = db.execute(
        "SELECT notification_type, recipient_users, status, body, source_id FROM"
        " notification_context.notifications WHERE payload ->> 'event_id' = %s",
        (str(event_id),)).fetchall()
    assert [(r[0], sorted(r[1]), r[2]) for r in rows] == [
        (NOTIFIED[event_type][3], sorted(str(u) for u in recipients), "PENDING")]
    assert str(rows[0][4]) in rows[0][3] and "{{" not in rows[0][3]
    deliveries = db.execute(
        "SELECT d.channel_id::text, d.recipient_user_id, d.status FROM"
        " notification_context.notification_deliveries AS d"
        " JOIN notification_context.notifications AS n ON n.id = d.notification_id"
        " WHERE n.payload ->> 'event_id' = %s", (str(event_id),)).fetchall()
    assert sorted(deliveries) == sorted((IN_APP, u, "PENDING") for u in recipients)


def test_a_subscribed_channel_adds_a_delivery_on_that_channel(db: psycopg.Connection) -> None:
    user = uuid.uuid4()
    db.execute("SET LOCAL ses_common.maintenance = on")
    channel = db.execute(
        "INSERT INTO notification_context.notification_channels (channel_type, name)"
        " VALUES ('EMAIL', 'Mail for the test') RETURNING id").fetchone()[0]
    db.execute("INSERT INTO notification_context.notification_subscriptions"
               " (user_id, notification_type, channel_id) VALUES (%s, 'INVOICE_ISSUED', %s)",
               (user, channel))
    payload = {"invoice_id": str(uuid.uuid4()), "finance_user_id": str(user)}
    event_id = emit(db, "InvoiceIssued", payload, "billing_context", "invoice")
    consume(db, "notifications")
    channels = db.execute(
        "SELECT d.channel_id FROM notification_context.notification_deliveries AS d"
        " JOIN notification_context.notifications AS n ON n.id = d.notification_id"
        " WHERE n.payload ->> 'event_id' = %s ORDER BY d.channel_id = %s",
        (str(event_id), channel)).fetchall()
    assert channels == [(uuid.UUID(IN_APP),), (channel,)]


def test_an_event_without_a_rule_is_done_without_a_notification(db: psycopg.Connection) -> None:
    emit(db, "TimesheetApproved", {}, "timesheet_context", "timesheet")
    count = "SELECT count(*) FROM notification_context.notifications"
    before = db.execute(count).fetchone()[0]
    assert consume(db, "notifications") == (0, 0, 0, 0)
    assert db.execute(count).fetchone()[0] == before


@pytest.mark.parametrize(("event_type", "context", "category", "metric_key"), [
    ("ProjectOrdered", "project_context", "PROJECT", "event.project_ordered"),
    ("ContractSigned", "contract_context", "CONTRACT", "event.contract_signed"),
    ("TimesheetSubmitted", "timesheet_context", "TIMESHEET", "event.timesheet_submitted"),
    ("InvoiceIssued", "billing_context", "BILLING", "event.invoice_issued"),
    ("MatchingCompleted", "matching_context", "MATCHING", "event.matching_completed"),
])
def test_each_event_becomes_exactly_its_report_row(
        db: psycopg.Connection, event_type: str, context: str, category: str,
        metric_key: str) -> None:
    event_id = emit(db, event_type, {"total_amount": 330000, "note": "text is not a metric"},
                    context, "thing")
    assert consume(db, "reports") == (1, 1, 0, 0)
    rows = db.execute(
        "SELECT category, metric_key, metrics, source_event FROM report_context.analytics_data"
        " WHERE dimensions ->> 'event_id' = %s", (str(event_id),)).fetchall()
    assert rows == [(category, metric_key, {"count": 1, "total_amount": 330000}, event_type)]


def test_consuming_twice_creates_nothing_new(db: psycopg.Connection) -> None:
    for event_type in NOTIFIED:
        emit_notified(db, event_type)
    counts = ("SELECT (SELECT count(*) FROM notification_context.notifications),"
              " (SELECT count(*) FROM notification_context.notification_deliveries),"
              " (SELECT count(*) FROM report_context.analytics_data)")
    assert consume(db, "notifications")[1] == 4
    assert consume(db, "reports")[1] == 4
    after_first = db.execute(counts).fetchone()
    assert consume(db, "notifications") == (0, 0, 0, 0)
    assert consume(db, "reports") == (0, 0, 0, 0)
    assert db.execute(counts).fetchone() == after_first


def test_a_failing_handler_retries_with_exponential_backoff(db: psycopg.Connection) -> None:
    add_failing_consumer(db, max_attempts=5)
    event_id = emit(db, "ProjectOrdered", {"fail": True})
    waits = []
    for _ in range(3):
        assert consume(db, "flaky") == (1, 0, 1, 0)
        waits.append(db.execute(
            "SELECT next_attempt_at - updated_at FROM ses_common.event_handlings"
            " WHERE consumer = 'flaky' AND event_id = %s", (event_id,)).fetchone()[0])
        assert consume(db, "flaky") == (0, 0, 0, 0)  # not due yet
        db.execute("UPDATE ses_common.event_handlings SET next_attempt_at = clock_timestamp()"
                   " WHERE consumer = 'flaky'")
    assert [round(w.total_seconds()) for w in waits] == [10, 20, 40]


def test_a_failing_handler_ends_dead_with_its_error_while_others_proceed(
        db: psycopg.Connection) -> None:
    add_failing_consumer(db, max_attempts=2)
    bad = emit(db, "ProjectOrdered", {"fail": True})
    good = [emit(db, "ProjectOrdered", {}) for _ in range(3)]
    assert consume(db, "flaky") == (4, 3, 1, 0)
    db.execute("UPDATE ses_common.event_handlings SET next_attempt_at = clock_timestamp()"
               " WHERE consumer = 'flaky'")
    assert consume(db, "flaky") == (1, 0, 0, 1)
    rows = dict(db.execute(
        "SELECT event_id, status FROM ses_common.event_handlings"
        " WHERE consumer = 'flaky'").fetchall())
    status, attempts, error, sqlstate = db.execute(
        "SELECT status, attempts, last_error, last_sqlstate FROM ses_common.event_handlings"
        " WHERE consumer = 'flaky' AND event_id = %s", (bad,)).fetchone()
    assert (status, attempts, error, sqlstate) == ("DEAD", 2, "told to fail", "SE163")
    assert {rows[g] for g in good} == {"DONE"}
    assert consume(db, "flaky") == (0, 0, 0, 0)


def test_a_failed_attempt_leaves_none_of_its_work_behind(db: psycopg.Connection) -> None:
    add_failing_consumer(db)
    bad = emit(db, "ProjectOrdered", {"fail": True})
    ok = emit(db, "ProjectOrdered", {})
    consume(db, "flaky")
    assert db.execute("SELECT event_id FROM public.handled_by_test").fetchall() == [(ok,)]
    assert bad != ok


def test_retrying_dead_events_queues_them_again_once(db: psycopg.Connection) -> None:
    add_failing_consumer(db, max_attempts=1)
    bad = emit(db, "ProjectOrdered", {"fail": True})
    assert consume(db, "flaky") == (1, 0, 0, 1)
    assert db.execute("SELECT ses_common.retry_dead_events('flaky')").fetchone()[0] == 1
    assert db.execute("SELECT ses_common.retry_dead_events('flaky')").fetchone()[0] == 0
    db.execute("UPDATE ses_common.event_outbox SET payload = '{}' WHERE event_id = %s", (bad,))
    assert consume(db, "flaky") == (1, 1, 0, 0)


@pytest.mark.parametrize(("call", "sqlstate", "field"), [
    ("SELECT * FROM ses_common.consume_events('nobody', 10)", "SE161", "p_consumer"),
    ("SELECT * FROM ses_common.consume_events(NULL, 10)", "SE161", "p_consumer"),
    ("SELECT * FROM ses_common.consume_events('reports', 0)", "SE162", "p_batch"),
    ("SELECT * FROM ses_common.consume_events('reports', 10001)", "SE162", "p_batch"),
    ("SELECT ses_common.retry_dead_events('nobody')", "SE161", "p_consumer"),
])
def test_a_bad_consumer_argument_is_refused_naming_it(
        db: psycopg.Connection, call: str, sqlstate: str, field: str) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute(call)
    assert exc.value.sqlstate == sqlstate
    assert exc.value.diag.column_name == field


def test_a_rule_without_an_active_template_ends_dead_with_se163(db: psycopg.Connection) -> None:
    db.execute("SET LOCAL ses_common.maintenance = on")
    db.execute("UPDATE ses_common.event_consumers SET max_attempts = 1"
               " WHERE consumer = 'notifications'")
    db.execute("UPDATE notification_context.notification_templates SET is_active = false"
               " WHERE template_code = 'CONTRACT_SIGNED'")
    event_id, _ = emit_notified(db, "ContractSigned")
    assert consume(db, "notifications") == (1, 0, 0, 1)
    assert db.execute("SELECT last_sqlstate FROM ses_common.event_handlings"
                      " WHERE consumer = 'notifications' AND event_id = %s",
                      (event_id,)).fetchone()[0] == "SE163"


def test_maintenance_consumes_a_bounded_batch_per_consumer(db: psycopg.Connection) -> None:
    for _ in range(3):
        emit_notified(db, "InvoiceIssued")
    result = db.execute("SELECT bbase.run_maintenance() -> 'ses_events'").fetchone()[0]
    assert result["notifications"]["done"] == 3
    assert result["reports"]["done"] == 3


@pytest.mark.parametrize("role", ["ses_admin_role", "ses_project_manager_role",
                                  "ses_engineer_role", "ses_customer_role", "ses_finance_role",
                                  "bbase_sync"])
def test_only_operators_may_consume_events(db: psycopg.Connection, role: str) -> None:
    assert db.execute(
        "SELECT has_function_privilege(%s, 'ses_common.consume_events(text, integer)', 'EXECUTE'),"
        " has_function_privilege('bbase_operator', 'ses_common.consume_events(text, integer)',"
        " 'EXECUTE')", (role,)).fetchone() == (False, True)


@pytest.mark.commits
def test_four_concurrent_consumers_handle_each_event_exactly_once(fresh_dsn: str) -> None:
    n = 400
    with psycopg.connect(fresh_dsn) as conn:
        add_failing_consumer(conn)
        for _ in range(n):
            emit(conn, "ProjectOrdered", {})
        conn.commit()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        try:
            with psycopg.connect(fresh_dsn) as conn:
                start.wait()
                while True:
                    claimed = consume(conn, "flaky", 7)[0]
                    conn.commit()
                    if not claimed:
                        break
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    with psycopg.connect(fresh_dsn) as conn:
        handled = conn.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM public.handled_by_test").fetchone()
        assert handled == (n, n)
        assert conn.execute(
            "SELECT count(*) FROM ses_common.event_handlings"
            " WHERE consumer = 'flaky' AND (status <> 'DONE' OR attempts <> 1)").fetchone()[0] == 0


def test_backoff_never_exceeds_the_consumers_maximum(db: psycopg.Connection) -> None:
    add_failing_consumer(db, max_attempts=20)
    db.execute("UPDATE ses_common.event_consumers SET backoff_max = '30 seconds'"
               " WHERE consumer = 'flaky'")
    event_id = emit(db, "ProjectOrdered", {"fail": True})
    for _ in range(6):
        consume(db, "flaky")
        db.execute("UPDATE ses_common.event_handlings SET next_attempt_at = clock_timestamp()"
                   " WHERE consumer = 'flaky'")
    consume(db, "flaky")
    wait = db.execute("SELECT next_attempt_at - updated_at FROM ses_common.event_handlings"
                      " WHERE consumer = 'flaky' AND event_id = %s", (event_id,)).fetchone()[0]
    assert wait == timedelta(seconds=30)


@pytest.mark.commits
def test_ses_events_until_empty_drains_every_consumer(
        fresh_dsn: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from bbase.cli import main

    with psycopg.connect(fresh_dsn) as conn:
        for _ in range(5):
            emit_notified(conn, "TimesheetSubmitted")
        conn.commit()
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert main(["ses", "events", "--batch", "2", "--until-empty"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "notifications: 5 claimed, 5 done, 0 retrying, 0 dead",
        "reports: 5 claimed, 5 done, 0 retrying, 0 dead"]
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM ses_common.event_handlings"
                            " WHERE status <> 'DONE'").fetchone()[0] == 0


@pytest.mark.commits
def test_ses_events_with_an_unknown_consumer_exits_with_one_line(
        fresh_dsn: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from bbase.cli import main

    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert main(["ses", "events", "--consumer", "nobody"]) != 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("bbase: ") and "p_consumer" in err[0] and "nobody" in err[0]


@pytest.mark.commits
def test_ses_events_retry_dead_queues_the_dead_letters_again(
        fresh_dsn: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from bbase.cli import main

    with psycopg.connect(fresh_dsn) as conn:
        add_failing_consumer(conn, max_attempts=1)
        bad = emit(conn, "ProjectOrdered", {"fail": True})
        assert consume(conn, "flaky") == (1, 0, 0, 1)
        conn.execute("UPDATE ses_common.event_outbox SET payload = '{}' WHERE event_id = %s",
                     (bad,))
        conn.commit()
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert main(["ses", "events", "--consumer", "flaky", "--retry-dead"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "flaky: 1 dead events queued again",
        "flaky: 1 claimed, 1 done, 0 retrying, 0 dead"]


def test_retrying_the_dead_events_of_one_consumer_leaves_the_others_dead(
        db: psycopg.Connection) -> None:
    add_failing_consumer(db, max_attempts=1)
    bad = emit(db, "ProjectOrdered", {"fail": True})
    assert consume(db, "flaky") == (1, 0, 0, 1)
    db.execute("UPDATE ses_common.event_handlings SET status = 'DEAD', last_error = 'other'"
               " WHERE consumer <> 'flaky' AND event_id = %s", (bad,))
    statuses = ("SELECT consumer = 'flaky', status FROM ses_common.event_handlings"
                " WHERE event_id = %s ORDER BY 1")
    others = [s for flaky, s in db.execute(statuses, (bad,)).fetchall() if not flaky]
    assert others and set(others) == {"DEAD"}
    assert db.execute("SELECT ses_common.retry_dead_events('flaky')").fetchone()[0] == 1
    after = db.execute(statuses, (bad,)).fetchall()
    assert sorted(after) == sorted([(False, "DEAD")] * len(others) + [(True, "RETRY")])


def test_retrying_one_dead_event_by_id_leaves_the_other_dead_events_dead(
        db: psycopg.Connection) -> None:
    add_failing_consumer(db, max_attempts=1)
    first, second = (emit(db, "ProjectOrdered", {"fail": True}) for _ in range(2))
    assert consume(db, "flaky") == (2, 0, 0, 2)
    retried = db.execute("SELECT ses_common.retry_dead_events('flaky', %s)", (first,)).fetchone()[0]
    statuses = dict(db.execute("SELECT event_id, status FROM ses_common.event_handlings"
                               " WHERE consumer = 'flaky'").fetchall())
    assert (retried, statuses[first], statuses[second]) == (1, "RETRY", "DEAD")
