"""The contract's client_approval_gate decides when the customer approves a timesheet
(timesheet_context.list_timesheet_transitions(), migration 0194): AFTER_SUBMISSION and
ANY_TIME before our approval, AFTER_INTERNAL_APPROVAL after it (SUBMITTED ->
INTERNALLY_APPROVED -> APPROVED), NONE never. The gate is read for the timesheet's month,
amendments included. FIXED contracts here, so a few hours raise no ALERT."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.ses.conftest import history_load
from tests.ses.rls_world import ADMIN, CUSTOMER, PM, World, build_world
from tests.ses.test_timesheet_workflow import (
    act,
    as_owner,
    call,
    draft,
    events,
    refused,
    row,
    submit,
    version,
)


@pytest.fixture
def world(db: psycopg.Connection) -> World:
    return build_world(db)


def gate(db: psycopg.Connection, value: str) -> None:
    as_owner(db)
    db.execute(
        "UPDATE contract_context.contracts"
        " SET client_approval_gate = %s, settlement_method = 'FIXED'",
        (value,),
    )


def customer_approves(db: psycopg.Connection, w: World, ts: uuid.UUID) -> str:
    v = version(db, ts)
    return call(db, CUSTOMER, w.actors[0][CUSTOMER], "approve_timesheet_as_customer", ts, v)


def we_approve(db: psycopg.Connection, w: World, ts: uuid.UUID) -> str:
    return call(db, PM, w.actors[0][PM], "approve_timesheet_internally", ts, version(db, ts))


def test_after_internal_approval_the_customer_cannot_approve_before_us_se170(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_INTERNAL_APPROVAL")
    ts = draft(world)
    submit(db, world, ts)
    refused(db, "SE170", customer_approves, db, world, ts)


def test_after_internal_approval_we_approve_then_the_customer(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_INTERNAL_APPROVAL")
    ts = draft(world)
    submit(db, world, ts)
    we_approve(db, world, ts)
    middle = row(db, ts)["status"]
    customer_approves(db, world, ts)
    r = row(db, ts)
    assert (middle, r["status"], r["approved_by"], r["client_approved_by"]) == (
        "INTERNALLY_APPROVED",
        "APPROVED",
        world.actors[0][PM],
        world.actors[0][CUSTOMER],
    )


def test_after_internal_approval_the_month_cannot_close_before_the_customer_approves(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_INTERNAL_APPROVAL")
    ts = draft(world)
    submit(db, world, ts)
    we_approve(db, world, ts)
    refused(
        db, "SE170", call, db, ADMIN, world.actors[0][ADMIN], "close_timesheet", ts, version(db, ts)
    )


def test_after_internal_approval_each_approval_emits_its_event(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_INTERNAL_APPROVAL")
    ts = draft(world)
    submit(db, world, ts)
    we_approve(db, world, ts)
    customer_approves(db, world, ts)
    assert (events(db, ts, "TimesheetApproved"), events(db, ts, "TimesheetClientApproved")) == (
        1,
        1,
    )


def test_after_internal_approval_a_second_customer_approval_changes_nothing(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_INTERNAL_APPROVAL")
    ts = draft(world)
    submit(db, world, ts)
    we_approve(db, world, ts)
    customer_approves(db, world, ts)
    assert "nothing changed" in customer_approves(db, world, ts)


def test_after_internal_approval_the_customer_may_reject_our_approval(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_INTERNAL_APPROVAL")
    ts = draft(world)
    submit(db, world, ts)
    we_approve(db, world, ts)
    v = version(db, ts)
    call(db, CUSTOMER, world.actors[0][CUSTOMER], "reject_timesheet", ts, v, "稼働日数が違います")
    assert row(db, ts)["status"] == "DRAFT"


def test_with_gate_none_customer_approval_is_refused_with_se170(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "NONE")
    ts = draft(world)
    submit(db, world, ts)
    refused(db, "SE170", customer_approves, db, world, ts)


def test_with_gate_none_the_timesheet_closes_without_customer_approval(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "NONE")
    ts = draft(world)
    submit(db, world, ts)
    we_approve(db, world, ts)
    call(db, ADMIN, world.actors[0][ADMIN], "close_timesheet", ts, version(db, ts))
    r = row(db, ts)
    assert (r["status"], r["client_approved_at"]) == ("CLOSED", None)


def test_with_gate_none_a_customer_cannot_give_our_approval_directly(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "NONE")
    ts = draft(world)
    submit(db, world, ts)
    act(db, CUSTOMER, world.actors[0][CUSTOMER])
    refused(
        db,
        "42501",
        db.execute,
        "UPDATE timesheet_context.timesheets SET status = 'APPROVED' WHERE id = %s",
        (ts,),
    )


@pytest.mark.parametrize("value", ["AFTER_SUBMISSION", "ANY_TIME"])
def test_after_submission_and_any_time_we_cannot_approve_before_the_customer_se170(
    db: psycopg.Connection, world: World, value: str
) -> None:
    gate(db, value)
    ts = draft(world)
    submit(db, world, ts)
    refused(db, "SE170", we_approve, db, world, ts)


def test_the_gate_of_the_timesheets_month_comes_from_the_amendments(
    db: psycopg.Connection, world: World
) -> None:
    gate(db, "AFTER_SUBMISSION")
    ts = draft(world)
    contract = row(db, ts)["contract_id"]
    with history_load(db):  # an amendment applied before: as the owner loads history
        db.execute(
            "INSERT INTO contract_context.contract_amendments (contract_id, amendment_number,"
            " amendment_type, effective_date, changes, status, approved_by, approved_at,"
            " applied_at) VALUES (%s, 9, 'OTHER', '2025-06-01', %s, 'APPLIED', %s, now(), now())",
            (
                contract,
                Jsonb({"client_approval_gate": {"from": "AFTER_SUBMISSION", "to": "NONE"}}),
                world.actors[0][PM],
            ),
        )
    submit(db, world, ts)
    we_approve(db, world, ts)
    assert row(db, ts)["status"] == "APPROVED"
