"""The timesheet workflow (timesheet_context, migration 0189): attendance minutes, the state
machine, the ALERT outside the settlement range, the lock after submission, events and who may
do what. Rows come from the two worlds of tests/ses/rls_world.py (contract 140-180 h, 15-minute
time unit, DAILY rounding, customer approval after submission); every workflow call is made as
the application role that does the job."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.ses.rls_world import ADMIN, CUSTOMER, ENGINEER, PM, World, build_world

DAY = 480  # 09:00-18:00 with a 60-minute break


@pytest.fixture
def world(db: psycopg.Connection) -> World:
    return build_world(db)


def act(conn: psycopg.Connection, role: str, user: Any) -> None:
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    conn.execute("SELECT ses_common.act_as(%s)", (user,))


def as_owner(conn: psycopg.Connection) -> None:
    conn.execute("RESET ROLE")


def draft(w: World, k: int = 0) -> uuid.UUID:
    return [
        r.id
        for r in w.of("timesheet_context.timesheets")
        if r.world == k and r.facts["status"] == "DRAFT"
    ][0]


def version(conn: psycopg.Connection, ts: uuid.UUID) -> int:
    as_owner(conn)
    return conn.execute(
        "SELECT version FROM timesheet_context.timesheets WHERE id = %s", (ts,)
    ).fetchone()[0]


def row(conn: psycopg.Connection, ts: uuid.UUID) -> dict[str, Any]:
    as_owner(conn)
    cur = conn.execute("SELECT * FROM timesheet_context.timesheets WHERE id = %s", (ts,))
    names = [d.name for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def record(
    conn: psycopg.Connection,
    w: World,
    ts: uuid.UUID,
    day: int,
    start: str,
    end: str,
    brk: int = 0,
    k: int = 0,
) -> str:
    act(conn, ENGINEER, w.actors[k][ENGINEER])
    return conn.execute(
        "SELECT timesheet_context.record_attendance(%s, %s, %s, %s, %s)",
        (ts, dt.date(2025, 6, day), start, end, brk),
    ).fetchone()[0]


def day_minutes(conn: psycopg.Connection, ts: uuid.UUID, day: int) -> tuple[int, int]:
    as_owner(conn)
    return conn.execute(
        "SELECT work_minutes, billable_minutes FROM timesheet_context.daily_attendances "
        "WHERE timesheet_id = %s AND work_date = %s AND deleted_at IS NULL",
        (ts, dt.date(2025, 6, day)),
    ).fetchone()


def fill(conn: psycopg.Connection, w: World, ts: uuid.UUID, minutes: int) -> None:
    """Attendance worth `minutes` in total (the world's sample day of 480 included)."""
    rest = minutes - DAY
    day = 3
    while rest >= DAY:
        record(conn, w, ts, day, "09:00", "18:00", 60)
        rest -= DAY
        day += 1
    if rest:
        end = (dt.datetime(2025, 6, 1, 9) + dt.timedelta(minutes=rest)).strftime("%H:%M")
        record(conn, w, ts, day, "09:00", end, 0)


def call(conn: psycopg.Connection, role: str, user: Any, function: str, *args: Any) -> str:
    act(conn, role, user)
    return conn.execute(
        sql.SQL("SELECT timesheet_context.{}({})").format(
            sql.Identifier(function), sql.SQL(", ").join(sql.Placeholder() * len(args))
        ),
        args,
    ).fetchone()[0]


def submit(conn: psycopg.Connection, w: World, ts: uuid.UUID, k: int = 0) -> str:
    v = version(conn, ts)
    return call(conn, ENGINEER, w.actors[k][ENGINEER], "submit_timesheet", ts, v)


def events(conn: psycopg.Connection, ts: uuid.UUID, event_type: str) -> int:
    as_owner(conn)
    return conn.execute(
        "SELECT count(*) FROM ses_common.event_outbox WHERE aggregate_id = %s AND event_type = %s",
        (ts, event_type),
    ).fetchone()[0]


def actions(conn: psycopg.Connection, ts: uuid.UUID) -> list[str]:
    as_owner(conn)
    return [
        r[0]
        for r in conn.execute(
            "SELECT action FROM timesheet_context.timesheet_approval_steps "
            "WHERE timesheet_id = %s AND deleted_at IS NULL ORDER BY step_no",
            (ts,),
        )
    ]


def refused(conn: psycopg.Connection, sqlstate: str, fn, *args: Any) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as exc, conn.transaction():
        fn(*args)
    assert exc.value.sqlstate == sqlstate, exc.value
    return exc.value


# --- attendance minutes -------------------------------------------------------------------


def test_work_minutes_are_end_minus_start_minus_break(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    record(db, world, ts, 3, "09:00", "18:00", 60)
    assert day_minutes(db, ts, 3) == (480, 480)


def test_billable_minutes_are_truncated_to_the_contracts_time_unit(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    record(db, world, ts, 3, "09:00", "17:52", 45)  # 532 - 45 = 487 -> 480 in 15-minute units
    assert day_minutes(db, ts, 3) == (487, 480)


def test_a_one_minute_time_unit_bills_every_minute(db: psycopg.Connection, world: World) -> None:
    db.execute("UPDATE contract_context.contracts SET time_unit_minutes = 1")
    ts = draft(world)
    record(db, world, ts, 3, "09:00", "17:52", 45)
    assert day_minutes(db, ts, 3) == (487, 487)


def test_a_day_ending_after_midnight_counts_the_hours_past_midnight(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    record(db, world, ts, 3, "22:00", "02:30", 30)
    assert day_minutes(db, ts, 3) == (240, 240)


def test_a_break_longer_than_the_day_is_refused_with_se172(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    err = refused(db, "SE172", record, db, world, ts, 3, "09:00", "10:00", 90)
    assert "break_minutes" in str(err)


def test_a_work_date_outside_the_month_is_refused_with_se172(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    act(db, ENGINEER, world.actors[0][ENGINEER])
    err = refused(
        db,
        "SE172",
        db.execute,
        "SELECT timesheet_context.record_attendance(%s, '2025-07-01', '09:00', '18:00', 60)",
        (ts,),
    )
    assert "p_work_date" in str(err)


def test_an_unknown_timesheet_is_refused_with_se172_naming_the_timesheet(
    db: psycopg.Connection, world: World
) -> None:
    act(db, ENGINEER, world.actors[0][ENGINEER])
    err = refused(
        db,
        "SE172",
        db.execute,
        "SELECT timesheet_context.record_attendance(%s, '2025-06-03', '09:00', '18:00', 60)",
        (uuid.uuid4(),),
    )
    assert "p_timesheet_id" in str(err)


def test_another_engineers_timesheet_is_refused_with_se172_naming_the_timesheet(
    db: psycopg.Connection, world: World
) -> None:
    act(db, ENGINEER, world.actors[0][ENGINEER])
    err = refused(
        db,
        "SE172",
        db.execute,
        "SELECT timesheet_context.record_attendance(%s, '2025-06-03', '09:00', '18:00', 60)",
        (draft(world, 1),),
    )
    assert "p_timesheet_id" in str(err)


def test_minutes_typed_into_a_direct_insert_are_replaced_by_the_computed_ones(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    act(db, ENGINEER, world.actors[0][ENGINEER])
    db.execute(
        "INSERT INTO timesheet_context.daily_attendances (timesheet_id, period_year, "
        "period_month, engineer_id, work_date, start_time, end_time, break_minutes, "
        "work_minutes, billable_minutes) VALUES (%s, 2025, 6, %s, '2025-06-03', '09:00', "
        "'12:00', 0, 999, 999)",
        (ts, world.actors[0][ENGINEER]),
    )
    assert day_minutes(db, ts, 3) == (180, 180)


def timesheet_partitions_read(conn: psycopg.Connection) -> dict[str, int]:
    """Scans of each timesheets partition so far in this transaction."""
    as_owner(conn)
    return dict(conn.execute(
        "SELECT s.relname, s.seq_scan + coalesce(s.idx_scan, 0) FROM pg_stat_xact_user_tables AS s"
        " JOIN pg_inherits AS i ON i.inhrelid = s.relid"
        " WHERE i.inhparent = 'timesheet_context.timesheets'::regclass").fetchall())


def test_recording_and_changing_a_day_reads_only_its_timesheets_partition(
    db: psycopg.Connection, world: World
) -> None:
    """The lookup in record_attendance and the engineer's write policy on daily_attendances
    find the timesheet by its whole key (id and period), so the write reads one monthly
    partition however many months exist (docs/benchmarks.md, SES mixed load)."""
    ts = draft(world)
    before = timesheet_partitions_read(db)
    assert len(before) > 2
    record(db, world, ts, 3, "09:00", "18:00", 60)
    act(db, ENGINEER, world.actors[0][ENGINEER])
    db.execute("SELECT timesheet_context.record_attendance(%s, %s, '09:00', '17:00', 60,"
               " 'WORK', NULL, 1)", (ts, dt.date(2025, 6, 3)))
    after = timesheet_partitions_read(db)
    read = sorted(name for name, scans in after.items() if scans > before.get(name, 0))
    assert read == ["timesheets_2025_06"]


def test_recording_the_same_day_twice_changes_nothing(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    record(db, world, ts, 3, "09:00", "18:00", 60)
    second = record(db, world, ts, 3, "09:00", "18:00", 60)
    assert "nothing changed" in second
    as_owner(db)
    assert (
        db.execute(
            "SELECT version FROM timesheet_context.daily_attendances "
            "WHERE timesheet_id = %s AND work_date = '2025-06-03'",
            (ts,),
        ).fetchone()[0]
        == 1
    )


# --- submission -----------------------------------------------------------------------------


def test_submission_recomputes_the_totals_from_the_attendance(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    as_owner(db)
    db.execute(
        "UPDATE timesheet_context.timesheets SET total_work_minutes = 1, billable_hours = 1 "
        "WHERE id = %s",
        (ts,),
    )
    record(db, world, ts, 3, "09:00", "17:52", 45)  # 487 worked, 480 billable
    submit(db, world, ts)
    r = row(db, ts)
    assert (r["status"], r["working_days"], r["total_work_minutes"], r["billable_hours"]) == (
        "SUBMITTED",
        2,
        967,
        16,
    )


def test_monthly_rounding_truncates_the_total_not_each_day(
    db: psycopg.Connection, world: World
) -> None:
    db.execute("UPDATE contract_context.contracts SET rounding_scope = 'MONTHLY'")
    ts = draft(world)
    record(db, world, ts, 3, "09:00", "09:10", 0)
    record(db, world, ts, 4, "09:00", "09:10", 0)
    submit(db, world, ts)  # 480 + 10 + 10 = 500 minutes -> 495 in 15-minute units
    assert row(db, ts)["billable_hours"] == pytest.approx(8.25)


def test_submission_emits_timesheet_submitted_exactly_once(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    assert events(db, ts, "TimesheetSubmitted") == 1


def test_submitting_twice_changes_nothing_and_says_so(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    v = version(db, ts)
    call(db, ENGINEER, world.actors[0][ENGINEER], "submit_timesheet", ts, v)
    again = call(db, ENGINEER, world.actors[0][ENGINEER], "submit_timesheet", ts, v)
    assert "nothing changed" in again
    assert (version(db, ts), events(db, ts, "TimesheetSubmitted")) == (v + 1, 1)


def test_a_rolled_back_submission_leaves_no_event(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    v = version(db, ts)
    with pytest.raises(RuntimeError), db.transaction():
        call(db, ENGINEER, world.actors[0][ENGINEER], "submit_timesheet", ts, v)
        raise RuntimeError("crash after the submission")
    assert (events(db, ts, "TimesheetSubmitted"), row(db, ts)["status"]) == (0, "DRAFT")


def test_a_stale_version_is_refused_with_se001(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    v = version(db, ts)
    refused(
        db,
        "SE001",
        call,
        db,
        ENGINEER,
        world.actors[0][ENGINEER],
        "submit_timesheet",
        ts,
        v - 1 or 99,
    )


def test_an_engineer_cannot_submit_another_engineers_timesheet(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world, 1)
    v = version(db, ts)
    refused(db, "SE172", call, db, ENGINEER, world.actors[0][ENGINEER], "submit_timesheet", ts, v)
    assert row(db, ts)["status"] == "DRAFT"


# --- settlement range ALERT -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "alert"),
    [
        (8385, True),  # 139.75 h
        (8400, False),  # 140.00 h
        (10800, False),  # 180.00 h
        (10815, True),  # 180.25 h
    ],
)
def test_an_alert_step_is_raised_exactly_outside_the_settlement_range(
    db: psycopg.Connection, world: World, minutes: int, alert: bool
) -> None:
    ts = draft(world)
    fill(db, world, ts, minutes)
    submit(db, world, ts)
    r = row(db, ts)
    assert (r["billable_hours"] * 60, r["out_of_range"], "ALERT" in actions(db, ts)) == (
        minutes,
        alert,
        alert,
    )


def _to_client_approved(db: psycopg.Connection, w: World, ts: uuid.UUID) -> None:
    submit(db, w, ts)
    call(db, CUSTOMER, w.actors[0][CUSTOMER], "approve_timesheet_as_customer", ts, version(db, ts))


def test_internal_approval_waits_for_the_alert_to_be_acknowledged(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    fill(db, world, ts, 8385)
    _to_client_approved(db, world, ts)
    pm = world.actors[0][PM]
    refused(db, "SE173", call, db, PM, pm, "approve_timesheet_internally", ts, version(db, ts))
    call(db, PM, pm, "acknowledge_timesheet_alert", ts, version(db, ts))
    call(db, PM, pm, "approve_timesheet_internally", ts, version(db, ts))
    assert (row(db, ts)["status"], row(db, ts)["approved_by"]) == ("APPROVED", pm)


# --- transitions ------------------------------------------------------------------------------


def test_the_full_path_logs_every_step_and_emits_every_event(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    fill(db, world, ts, 9600)  # 160 h, inside the range
    _to_client_approved(db, world, ts)
    call(db, PM, world.actors[0][PM], "approve_timesheet_internally", ts, version(db, ts))
    call(db, ADMIN, world.actors[0][PM], "close_timesheet", ts, version(db, ts))
    as_owner(db)
    emitted = [
        r[0]
        for r in db.execute(
            "SELECT event_type FROM ses_common.event_outbox WHERE aggregate_id = %s ORDER BY id",
            (ts,),
        )
    ]
    assert (row(db, ts)["status"], actions(db, ts)[-4:], emitted) == (
        "CLOSED",
        ["SUBMIT", "CLIENT_APPROVE", "APPROVE", "CLOSE"],
        ["TimesheetSubmitted", "TimesheetClientApproved", "TimesheetApproved", "TimesheetClosed"],
    )


def test_a_draft_cannot_be_approved_internally(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    refused(
        db,
        "SE170",
        call,
        db,
        ADMIN,
        world.actors[0][PM],
        "approve_timesheet_internally",
        ts,
        version(db, ts),
    )


def test_internal_approval_before_the_customers_is_refused(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    refused(
        db,
        "SE170",
        call,
        db,
        PM,
        world.actors[0][PM],
        "approve_timesheet_internally",
        ts,
        version(db, ts),
    )


def test_a_contract_without_customer_approval_is_approved_straight_from_submitted(
    db: psycopg.Connection, world: World
) -> None:
    # FIXED: hours are not settled, so 8 hours raise no ALERT either.
    db.execute(
        "UPDATE contract_context.contracts SET client_approval_gate = 'NONE', "
        "settlement_method = 'FIXED'"
    )
    ts = draft(world)
    submit(db, world, ts)
    call(db, PM, world.actors[0][PM], "approve_timesheet_internally", ts, version(db, ts))
    assert row(db, ts)["status"] == "APPROVED"


def test_a_submitted_timesheet_cannot_be_closed(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    submit(db, world, ts)
    refused(
        db, "SE170", call, db, ADMIN, world.actors[0][PM], "close_timesheet", ts, version(db, ts)
    )


def test_a_direct_update_skipping_a_step_is_refused(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    act(db, ADMIN, world.actors[0][PM])
    refused(
        db,
        "SE170",
        db.execute,
        "UPDATE timesheet_context.timesheets SET status = 'CLOSED' WHERE id = %s",
        (ts,),
    )


def test_a_rejection_returns_the_timesheet_to_draft_with_its_reason(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    call(
        db,
        CUSTOMER,
        world.actors[0][CUSTOMER],
        "reject_timesheet",
        ts,
        version(db, ts),
        "6/10 の残業が未記載",
    )
    r = row(db, ts)
    assert (
        r["status"],
        r["rejection_reason"],
        actions(db, ts)[-2:],
        events(db, ts, "TimesheetRejected"),
    ) == ("DRAFT", "6/10 の残業が未記載", ["REJECT", "REOPEN"], 1)


def test_a_rejected_timesheet_can_be_corrected_and_submitted_again(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    call(db, PM, world.actors[0][PM], "reject_timesheet", ts, version(db, ts), "休憩時間の誤り")
    record(db, world, ts, 3, "09:00", "18:00", 60)
    submit(db, world, ts)
    assert (row(db, ts)["total_work_minutes"], events(db, ts, "TimesheetSubmitted")) == (960, 2)


def test_a_rejection_without_a_reason_is_refused_with_se172(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    refused(
        db,
        "SE172",
        call,
        db,
        CUSTOMER,
        world.actors[0][CUSTOMER],
        "reject_timesheet",
        ts,
        version(db, ts),
        " \u3000",
    )


def test_a_customer_approves_only_the_timesheets_of_their_projects(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world, 0)
    submit(db, world, ts)
    refused(
        db,
        "SE172",
        call,
        db,
        CUSTOMER,
        world.actors[1][CUSTOMER],
        "approve_timesheet_as_customer",
        ts,
        version(db, ts),
    )
    assert row(db, ts)["status"] == "SUBMITTED"


# --- after submission: adjustments only ----------------------------------------------------------


def test_attendance_of_a_submitted_timesheet_cannot_be_changed_directly(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    act(db, ADMIN, world.actors[0][PM])
    refused(
        db,
        "SE171",
        db.execute,
        "UPDATE timesheet_context.daily_attendances SET break_minutes = 0 WHERE timesheet_id = %s",
        (ts,),
    )


def test_attendance_of_a_submitted_timesheet_cannot_be_deleted(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    act(db, ADMIN, world.actors[0][PM])
    refused(
        db,
        "SE171",
        db.execute,
        "DELETE FROM timesheet_context.daily_attendances WHERE timesheet_id = %s",
        (ts,),
    )


def test_a_setting_does_not_open_the_purge_path_for_submitted_attendance(
    db: psycopg.Connection, world: World
) -> None:
    """The purge path is a permit only the owner's code writes; a custom setting any
    session may set (the former ses_common.allow_purge) lets nothing through."""
    ts = draft(world)
    submit(db, world, ts)
    act(db, ADMIN, world.actors[0][PM])
    db.execute("SET LOCAL ses_common.allow_purge = on")
    refused(
        db,
        "SE171",
        db.execute,
        "DELETE FROM timesheet_context.daily_attendances WHERE timesheet_id = %s",
        (ts,),
    )


def test_totals_of_a_submitted_timesheet_cannot_be_changed_directly(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    act(db, ADMIN, world.actors[0][PM])
    refused(
        db,
        "SE171",
        db.execute,
        "UPDATE timesheet_context.timesheets SET billable_hours = 200 WHERE id = %s",
        (ts,),
    )


#: Every column a submitted timesheet freezes, with a change to it.
FROZEN_AFTER_SUBMISSION = {
    "contract_id": "gen_random_uuid()", "engineer_id": "gen_random_uuid()",
    "project_id": "gen_random_uuid()", "customer_id": "gen_random_uuid()",
    "working_days": "coalesce(working_days, 0) + 1",
    "total_work_minutes": "coalesce(total_work_minutes, 0) + 1",
    "billable_hours": "coalesce(billable_hours, 0) + 1",
    "overtime_hours": "coalesce(overtime_hours, 0) + 1",
    "shortage_hours": "coalesce(shortage_hours, 0) + 1",
    "out_of_range": "NOT coalesce(out_of_range, false)",
    "work_summary": "'{\"changed\": true}'", "report_file_uri": "'s3://bucket/changed.pdf'",
}


def refused_after_submission(db: psycopg.Connection, world: World, update: str, column: str,
                             change: str) -> None:
    """As an admin, ``update`` (with {} for the column and its new value, %s for the submitted
    timesheet's id) is refused with SE171."""
    ts = draft(world)
    submit(db, world, ts)
    act(db, ADMIN, world.actors[0][PM])
    statement = sql.SQL(update).format(sql.Identifier(column), sql.SQL(change))
    refused(db, "SE171", db.execute, statement, (ts,))


@pytest.mark.parametrize("column", sorted(FROZEN_AFTER_SUBMISSION))
def test_each_frozen_column_of_a_submitted_timesheet_refuses_a_direct_change(
    db: psycopg.Connection, world: World, column: str
) -> None:
    refused_after_submission(db, world, "UPDATE timesheet_context.timesheets SET {} = {}"
                             " WHERE id = %s", column, FROZEN_AFTER_SUBMISSION[column])


#: Every value of a day a submitted timesheet freezes that a writer types, with a change to
#: it alone. work_minutes and billable_minutes are not typed: tg_daily_attendances__compute_
#: minutes derives them from the times again, so a direct change of them alone changes nothing.
FROZEN_DAY_VALUES = {
    "engineer_id": "gen_random_uuid()", "start_time": "start_time - interval '1 minute'",
    "end_time": "end_time + interval '1 minute'", "break_minutes": "break_minutes + 1",
    "note": "'changed'", "deleted_at": "now()",
}


@pytest.mark.parametrize("column", sorted(FROZEN_DAY_VALUES))
def test_each_value_of_a_submitted_day_refuses_a_direct_change(
    db: psycopg.Connection, world: World, column: str
) -> None:
    refused_after_submission(db, world, "UPDATE timesheet_context.daily_attendances SET {} = {}"
                             " WHERE timesheet_id = %s AND billable_minutes > 0", column,
                             FROZEN_DAY_VALUES[column])


def _adjust(db: psycopg.Connection, w: World, ts: uuid.UUID) -> uuid.UUID:
    v = version(db, ts)
    return call(
        db,
        ADMIN,
        w.actors[0][PM],
        "request_timesheet_adjustment",
        ts,
        v,
        "HOURS",
        30,
        0,
        "提出後の打刻修正",
    )


def test_an_adjustment_of_a_draft_is_refused_with_se174(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    refused(db, "SE174", _adjust, db, world, ts)


def test_a_submitted_timesheet_takes_adjustments(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    submit(db, world, ts)
    adjustment = _adjust(db, world, ts)
    as_owner(db)
    assert db.execute(
        "SELECT timesheet_id, delta_minutes, status FROM "
        "timesheet_context.timesheet_adjustments WHERE id = %s",
        (adjustment,),
    ).fetchone() == (ts, 30, "PENDING")


def test_rejecting_twice_changes_nothing_and_says_so(db: psycopg.Connection, world: World) -> None:
    ts = draft(world)
    submit(db, world, ts)
    v = version(db, ts)
    pm = world.actors[0][PM]
    call(db, PM, pm, "reject_timesheet", ts, v, "休憩時間の誤り")
    again = call(db, PM, pm, "reject_timesheet", ts, v, "休憩時間の誤り")
    assert "nothing changed" in again
    assert (actions(db, ts).count("REJECT"), events(db, ts, "TimesheetRejected")) == (1, 1)


def test_rejecting_twice_says_the_timesheet_already_went_back_to_draft(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    v = version(db, ts)
    pm = world.actors[0][PM]
    call(db, PM, pm, "reject_timesheet", ts, v, "休憩時間の誤り")
    again = call(db, PM, pm, "reject_timesheet", ts, v, "休憩時間の誤り")
    assert f"timesheet {ts} is already rejected back to DRAFT" in again


def test_an_engineer_may_not_approve_their_own_timesheet(
    db: psycopg.Connection, world: World
) -> None:
    ts = draft(world)
    submit(db, world, ts)
    refused(
        db,
        "42501",
        call,
        db,
        ENGINEER,
        world.actors[0][ENGINEER],
        "approve_timesheet_internally",
        ts,
        version(db, ts),
    )
