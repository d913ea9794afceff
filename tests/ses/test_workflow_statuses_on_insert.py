"""Workflows own their statuses on INSERT too (triggers
tg_<table>__check_insert_status, ses_common.tg_check_insert_status): a contract starts DRAFT
and becomes ACTIVE only with both signatures, a timesheet starts DRAFT, an adjustment PENDING,
an amendment DRAFT or PENDING_SIGNATURE, a signature REQUESTED, for every role and for the
owner's plain session (SE213); only the owner's history load
(SET LOCAL ses_common.history_load = on) writes finished rows. The contract state machine holds
on UPDATE (SE214)."""

from __future__ import annotations

import psycopg
import pytest

from tests.ses import workflow_rows as w
from tests.ses.conftest import insert_row


@pytest.fixture
def deal(db: psycopg.Connection) -> dict:
    w.start(db)
    return {"project": w.project(db), "engineer": w.engineer(db)}


def refused(db: psycopg.Connection, sqlstate: str, fn, *args, **kwargs) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        fn(*args, **kwargs)
    assert exc.value.sqlstate == sqlstate, exc.value
    return exc.value


def test_the_owner_cannot_insert_an_active_contract_se213(
    db: psycopg.Connection, deal: dict
) -> None:
    refused(
        db,
        "SE213",
        w.contract,
        db,
        deal["project"],
        deal["engineer"],
        status="ACTIVE",
        history=False,
    )


def test_a_project_manager_cannot_insert_an_active_contract_se213(
    db: psycopg.Connection, deal: dict
) -> None:
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    db.execute("SELECT ses_common.act_as(%s)", (w.PM,))
    refused(
        db,
        "SE213",
        w.contract,
        db,
        deal["project"],
        deal["engineer"],
        status="ACTIVE",
        history=False,
    )


def test_the_owners_maintenance_setting_does_not_open_the_route(
    db: psycopg.Connection, deal: dict
) -> None:
    """ses_common.maintenance is turned on by the machinery's triggers in any transaction."""
    db.execute("SET LOCAL ses_common.maintenance = on")
    refused(
        db,
        "SE213",
        w.contract,
        db,
        deal["project"],
        deal["engineer"],
        status="ACTIVE",
        history=False,
    )


def test_the_history_load_setting_does_not_open_the_route_to_an_application_role(
    db: psycopg.Connection, deal: dict
) -> None:
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    db.execute("SELECT ses_common.act_as(%s)", (w.PM,))
    db.execute("SET LOCAL ses_common.history_load = on")
    refused(
        db,
        "SE213",
        w.contract,
        db,
        deal["project"],
        deal["engineer"],
        status="ACTIVE",
        history=False,
    )


def test_the_owners_history_load_inserts_an_active_contract(
    db: psycopg.Connection, deal: dict
) -> None:
    db.execute("SET LOCAL ses_common.history_load = on")
    row = w.contract(db, deal["project"], deal["engineer"], status="ACTIVE", history=False)
    assert row["status"] == "ACTIVE"


def test_a_draft_contract_is_inserted(db: psycopg.Connection, deal: dict) -> None:
    assert w.contract(db, deal["project"], deal["engineer"])["status"] == "DRAFT"


@pytest.mark.parametrize("status", ["COMPLETED", "TERMINATED", "CANCELLED"])
def test_a_finished_contract_cannot_be_set_active_again_se214(
    db: psycopg.Connection, deal: dict, status: str
) -> None:
    extra = {"terminated_at": "2025-08-01 00:00+09"} if status == "TERMINATED" else {}
    row = w.contract(db, deal["project"], deal["engineer"], status=status, **extra)
    refused(
        db,
        "SE214",
        db.execute,
        "UPDATE contract_context.contracts SET status = 'ACTIVE', terminated_at = NULL"
        " WHERE id = %s",
        (row["id"],),
    )


def test_a_signature_cannot_be_inserted_as_signed_se213(db: psycopg.Connection, deal: dict) -> None:
    contract = w.contract(db, deal["project"], deal["engineer"])
    refused(
        db,
        "SE213",
        w.signature_request,
        db,
        contract,
        "COMPANY",
        status="SIGNED",
        signed_at="2025-05-20 10:00+09",
    )


def test_an_amendment_cannot_be_inserted_as_applied_se213(
    db: psycopg.Connection, deal: dict
) -> None:
    contract = w.contract(db, deal["project"], deal["engineer"], status="ACTIVE")
    refused(
        db,
        "SE213",
        insert_row,
        db,
        "contract_context.contract_amendments",
        dict(
            contract_id=contract["id"],
            amendment_number=1,
            amendment_type="PRICE_CHANGE",
            effective_date="2025-09-01",
            status="APPLIED",
            approved_by=w.PM,
            approved_at="2025-08-20 10:00+09",
            changes=w.Jsonb({"monthly_unit_price": {"from": 600000, "to": 900000}}),
        ),
    )


def test_a_timesheet_cannot_be_inserted_as_approved_se213(
    db: psycopg.Connection, deal: dict
) -> None:
    contract = w.contract(db, deal["project"], deal["engineer"], status="ACTIVE")
    db.execute(
        "SELECT ses_common.create_partitions('timesheet_context.timesheets'::regclass,"
        " '2025-06-01', '2025-06-01')"
    )
    refused(
        db,
        "SE213",
        insert_row,
        db,
        "timesheet_context.timesheets",
        dict(
            period_year=2025,
            period_month=6,
            contract_id=contract["id"],
            engineer_id=deal["engineer"]["id"],
            customer_id=w.CUSTOMER,
            status="APPROVED",
            submitted_at="2025-07-01",
            approved_at="2025-07-02",
            approved_by=w.PM,
        ),
    )
