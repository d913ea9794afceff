"""Deciding timesheet adjustments (勤怠調整, migration 0194): approve or reject once, by someone
other than the requester, an approved adjustment of hours changing the timesheet's totals in the
same transaction, one on an invoiced (CLOSED) timesheet going to the next month, and the events.
Rows come from tests/ses/rls_world.py (contract 140-180 h); calls are made as the roles."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.ses.rls_world import ADMIN, CUSTOMER, ENGINEER, PM, World, build_world
from tests.ses.test_timesheet_workflow import (
    as_owner,
    call,
    draft,
    fill,
    refused,
    row,
    submit,
    version,
)


@pytest.fixture
def world(db: psycopg.Connection) -> World:
    return build_world(db)


def submitted(db: psycopg.Connection, w: World, minutes: int = 9600) -> uuid.UUID:
    ts = draft(w)
    fill(db, w, ts, minutes)  # 160 h: inside the range
    submit(db, w, ts)
    return ts


def request(db: psycopg.Connection, w: World, ts: uuid.UUID, minutes: int = 30) -> uuid.UUID:
    """An adjustment requested by the admin of world 0 (acting as themselves)."""
    return call(
        db,
        ADMIN,
        w.actors[0][ADMIN],
        "request_timesheet_adjustment",
        ts,
        version(db, ts),
        "HOURS",
        minutes,
        0,
        "提出後の打刻修正",
    )


def adjustment(db: psycopg.Connection, adj: uuid.UUID) -> dict:
    as_owner(db)
    cur = db.execute("SELECT * FROM timesheet_context.timesheet_adjustments WHERE id = %s", (adj,))
    names = [d.name for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def approve(db: psycopg.Connection, w: World, adj: uuid.UUID, role: str = PM) -> str:
    user = w.actors[0][role]
    return call(db, role, user, "approve_timesheet_adjustment", adj, adjustment(db, adj)["version"])


def reject(db: psycopg.Connection, w: World, adj: uuid.UUID, reason: str = "根拠資料なし") -> str:
    v = adjustment(db, adj)["version"]
    return call(db, PM, w.actors[0][PM], "reject_timesheet_adjustment", adj, v, reason)


def adjusted_events(db: psycopg.Connection, ts: uuid.UUID, event_type: str) -> int:
    as_owner(db)
    return db.execute(
        "SELECT count(*) FROM ses_common.event_outbox WHERE aggregate_id = %s AND event_type = %s",
        (ts, event_type),
    ).fetchone()[0]


def test_an_approved_adjustment_of_hours_changes_the_timesheets_totals(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    before = row(db, ts)
    adj = request(db, world, ts, 30)
    approve(db, world, adj)
    after = row(db, ts)
    assert (
        after["total_work_minutes"] - before["total_work_minutes"],
        after["billable_hours"] - before["billable_hours"],
        adjustment(db, adj)["status"],
        adjustment(db, adj)["approved_by"],
    ) == (30, 0.5, "APPLIED", world.actors[0][PM])


def test_an_approved_adjustment_out_of_the_range_sets_out_of_range(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world, 10800)  # 180.00 h: the upper bound, no ALERT
    approve(db, world, request(db, world, ts, 15))
    r = row(db, ts)
    assert (r["out_of_range"], r["overtime_hours"]) == (True, 0.25)


def test_the_requester_cannot_approve_their_own_adjustment_se211(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    refused(db, "SE211", approve, db, world, adj, ADMIN)


def test_a_rejected_adjustment_changes_nothing_and_keeps_its_reason(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    before = row(db, ts)
    adj = request(db, world, ts)
    reject(db, world, adj, "根拠資料なし")
    a = adjustment(db, adj)
    after = row(db, ts)
    assert (
        a["status"],
        a["rejection_reason"],
        a["rejected_by"],
        after["billable_hours"],
        after["total_work_minutes"],
    ) == (
        "REJECTED",
        "根拠資料なし",
        world.actors[0][PM],
        before["billable_hours"],
        before["total_work_minutes"],
    )


def test_approving_twice_changes_nothing_and_says_so(db: psycopg.Connection, world: World) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    approve(db, world, adj)
    hours = row(db, ts)["billable_hours"]
    again = approve(db, world, adj)
    assert ("nothing changed" in again, row(db, ts)["billable_hours"]) == (True, hours)
    assert adjusted_events(db, ts, "TimesheetAdjusted") == 1


def test_rejecting_an_approved_adjustment_is_refused_with_se210(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    approve(db, world, adj)
    refused(db, "SE210", reject, db, world, adj)


def test_a_direct_update_of_a_decided_adjustment_is_refused_with_se210(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    reject(db, world, adj)
    db.execute("SET LOCAL ROLE ses_admin_role")
    db.execute("SELECT ses_common.act_as(%s)", (world.actors[0][PM],))
    refused(
        db,
        "SE210",
        db.execute,
        "UPDATE timesheet_context.timesheet_adjustments SET status = 'APPROVED' WHERE id = %s",
        (adj,),
    )


def test_a_stale_version_is_refused_with_se001(db: psycopg.Connection, world: World) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    stale = adjustment(db, adj)["version"] + 1
    refused(
        db, "SE001", call, db, PM, world.actors[0][PM], "approve_timesheet_adjustment", adj, stale
    )


def test_a_rejection_without_a_reason_is_refused_with_se212(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    refused(db, "SE212", reject, db, world, adj, " \u3000")


def test_an_adjustment_taking_the_minutes_below_zero_is_refused_with_se212(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts, -(row(db, ts)["total_work_minutes"] + 15))
    refused(db, "SE212", approve, db, world, adj)


def test_an_engineer_cannot_decide_an_adjustment(db: psycopg.Connection, world: World) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    refused(db, "42501", approve, db, world, adj, ENGINEER)


def test_a_customer_cannot_decide_an_adjustment(db: psycopg.Connection, world: World) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    refused(db, "42501", approve, db, world, adj, CUSTOMER)


def test_an_adjustment_of_an_invoiced_timesheet_goes_to_the_next_month(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    call(
        db,
        CUSTOMER,
        world.actors[0][CUSTOMER],
        "approve_timesheet_as_customer",
        ts,
        version(db, ts),
    )
    call(db, PM, world.actors[0][PM], "approve_timesheet_internally", ts, version(db, ts))
    adj = request(db, world, ts)  # requested while APPROVED
    call(db, ADMIN, world.actors[0][ADMIN], "close_timesheet", ts, version(db, ts))
    closed = row(db, ts)
    approve(db, world, adj)
    a = adjustment(db, adj)
    assert (
        a["status"],
        a["applies_to_year"],
        a["applies_to_month"],
        row(db, ts)["billable_hours"],
    ) == ("APPROVED", 2025, 7, closed["billable_hours"])


def test_each_decision_emits_its_event_exactly_once(db: psycopg.Connection, world: World) -> None:
    ts = submitted(db, world)
    approve(db, world, request(db, world, ts))
    reject(db, world, request(db, world, ts))
    assert (
        adjusted_events(db, ts, "TimesheetAdjusted"),
        adjusted_events(db, ts, "TimesheetAdjustmentRejected"),
    ) == (1, 1)


def test_a_rolled_back_approval_leaves_no_event_and_no_change(
    db: psycopg.Connection, world: World
) -> None:
    ts = submitted(db, world)
    adj = request(db, world, ts)
    hours = row(db, ts)["billable_hours"]
    with pytest.raises(psycopg.errors.RaiseException), db.transaction():
        approve(db, world, adj)
        db.execute("DO $$ BEGIN RAISE EXCEPTION 'crash after the approval'; END $$")
    assert (
        adjusted_events(db, ts, "TimesheetAdjusted"),
        row(db, ts)["billable_hours"],
        adjustment(db, adj)["status"],
    ) == (0, hours, "PENDING")


def test_a_timesheet_adjusted_event_tells_the_project_manager(db: psycopg.Connection) -> None:
    """The notifications consumer's rule for TimesheetAdjusted (migration 0195); outside the
    world, whose reference rows are removed."""
    from tests.ses.test_event_consumers import CONSUME, emit, make_project

    project, pm, _sm = make_project(db)
    timesheet = uuid.uuid4()
    event_id = emit(
        db,
        "TimesheetAdjusted",
        {"timesheet_id": str(timesheet), "project_id": str(project), "status": "APPLIED"},
        "timesheet_context",
        "timesheet",
        timesheet,
    )
    db.execute(CONSUME, ("notifications", 100))
    rows = db.execute(
        "SELECT notification_type, recipient_users FROM notification_context.notifications"
        " WHERE payload ->> 'event_id' = %s",
        (str(event_id),),
    ).fetchall()
    assert rows == [("TIMESHEET_ADJUSTED", [str(pm)])]
