"""Projects and contracts: ProjectOrdered on the order, contract activation by both
signatures with ContractSigned, amendments in force from their month (terms_for_month)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.ses import workflow_rows as w
from tests.ses.conftest import insert_row

SIGN = "SELECT * FROM contract_context.sign_contract(%s, %s, %s)"
TERMS = "SELECT monthly_unit_price, end_date FROM contract_context.terms_for_month(%s, %s, %s)"


@pytest.fixture
def deal(db: psycopg.Connection) -> dict[str, Any]:
    w.start(db)
    project = w.project(db)
    eng = w.engineer(db, {"Java": (4, 5)})
    contract = w.contract(db, project, eng)
    for party in ("COMPANY", "COUNTERPARTY"):
        w.signature_request(db, contract, party)
    return {"project": project, "contract": contract}


def sign(db: psycopg.Connection, contract_id: uuid.UUID, side: str) -> tuple[str, bool]:
    current = w.version(db, "contract_context.contracts", contract_id)
    return db.execute(SIGN, (contract_id, side, current)).fetchone()


def test_ordering_a_project_emits_project_ordered_once(db: psycopg.Connection) -> None:
    w.start(db)
    project = w.project(db)
    for _ in range(2):
        db.execute(
            "UPDATE project_context.projects SET status = 'ORDERED' WHERE id = %s", (project["id"],)
        )
    payloads = w.events(db, "ProjectOrdered", project["id"])
    assert len(payloads) == 1
    assert (payloads[0]["status"], payloads[0]["previous_status"]) == ("ORDERED", "PROPOSING")


def test_a_project_resumed_from_hold_is_not_ordered_again(db: psycopg.Connection) -> None:
    w.start(db)
    project = w.project(db)
    for status in ("ORDERED", "ON_HOLD", "ORDERED"):
        db.execute(
            "UPDATE project_context.projects SET status = %s WHERE id = %s", (status, project["id"])
        )
    assert len(w.events(db, "ProjectOrdered", project["id"])) == 1


def test_no_project_ordered_survives_a_rolled_back_order(db: psycopg.Connection) -> None:
    w.start(db)
    project = w.project(db)
    with pytest.raises(RuntimeError), db.transaction():
        db.execute(
            "UPDATE project_context.projects SET status = 'ORDERED' WHERE id = %s", (project["id"],)
        )
        assert len(w.events(db, "ProjectOrdered", project["id"])) == 1
        raise RuntimeError("roll back")
    assert w.events(db, "ProjectOrdered", project["id"]) == []


def test_a_project_manager_ordering_their_project_emits_the_event(db: psycopg.Connection) -> None:
    w.start(db)
    project = w.project(db)
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    db.execute("SELECT ses_common.act_as(%s)", (w.PM,))
    db.execute(
        "UPDATE project_context.projects SET status = 'ORDERED' WHERE id = %s", (project["id"],)
    )
    db.execute("RESET ROLE")
    assert len(w.events(db, "ProjectOrdered", project["id"])) == 1


def test_one_signature_leaves_the_contract_pending(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract_id = deal["contract"]["id"]
    assert sign(db, contract_id, "COMPANY") == ("PENDING_SIGNATURE", True)
    assert w.events(db, "ContractSigned", contract_id) == []


def test_the_second_signature_makes_the_contract_active_and_emits_contract_signed(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract_id = deal["contract"]["id"]
    sign(db, contract_id, "COUNTERPARTY")
    assert sign(db, contract_id, "COMPANY") == ("ACTIVE", True)
    status, signed_at = db.execute(
        "SELECT status, signed_at FROM contract_context.contracts WHERE id = %s", (contract_id,)
    ).fetchone()
    assert status == "ACTIVE" and signed_at is not None
    payloads = w.events(db, "ContractSigned", contract_id)
    assert (
        len(payloads) == 1 and payloads[0]["contract_number"] == deal["contract"]["contract_number"]
    )


def test_signing_again_changes_nothing_and_emits_nothing(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract_id = deal["contract"]["id"]
    sign(db, contract_id, "COMPANY")
    sign(db, contract_id, "COUNTERPARTY")
    before = w.version(db, "contract_context.contracts", contract_id)
    assert db.execute(SIGN, (contract_id, "COMPANY", 1)).fetchone() == ("ACTIVE", False)
    assert w.version(db, "contract_context.contracts", contract_id) == before
    assert len(w.events(db, "ContractSigned", contract_id)) == 1


def test_the_contract_signed_payload_holds_no_signer_data(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract_id = deal["contract"]["id"]
    sign(db, contract_id, "COMPANY")
    sign(db, contract_id, "COUNTERPARTY")
    text = db.execute(
        "SELECT payload::text FROM ses_common.event_outbox WHERE aggregate_id = %s", (contract_id,)
    ).fetchone()[0]
    assert "佐藤" not in text and "example.jp" not in text and "signer" not in text


def test_a_contract_cannot_be_made_active_without_both_signatures(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract_id = deal["contract"]["id"]
    sign(db, contract_id, "COMPANY")
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(
            "UPDATE contract_context.contracts SET status = 'ACTIVE' WHERE id = %s", (contract_id,)
        )
    assert exc.value.sqlstate == "SE193"
    assert w.events(db, "ContractSigned", contract_id) == []


def test_signing_a_side_without_a_signature_request_is_refused(db: psycopg.Connection) -> None:
    w.start(db)
    project = w.project(db)
    contract = w.contract(db, project, w.engineer(db))
    w.signature_request(db, contract, "COMPANY")
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(SIGN, (contract["id"], "COUNTERPARTY", contract["version"]))
    assert exc.value.sqlstate == "SE192"


def test_signing_with_a_stale_version_is_refused(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract = deal["contract"]
    sign(db, contract["id"], "COMPANY")
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(SIGN, (contract["id"], "COUNTERPARTY", contract["version"]))
    assert exc.value.sqlstate == "SE001"


def test_an_unknown_side_is_refused_naming_the_field(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(SIGN, (deal["contract"]["id"], "CUSTOMER", 1))
    assert exc.value.sqlstate == "SE195" and exc.value.diag.column_name == "p_side"


def test_no_contract_signed_survives_a_rolled_back_signature(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    contract_id = deal["contract"]["id"]
    sign(db, contract_id, "COMPANY")
    with pytest.raises(RuntimeError), db.transaction():
        sign(db, contract_id, "COUNTERPARTY")
        assert len(w.events(db, "ContractSigned", contract_id)) == 1
        raise RuntimeError("roll back")
    assert w.events(db, "ContractSigned", contract_id) == []


def test_a_project_manager_cannot_sign_another_managers_contract(
    db: psycopg.Connection, deal: dict[str, Any]
) -> None:
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    db.execute("SELECT ses_common.act_as(%s)", (w.OTHER_PM,))
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(SIGN, (deal["contract"]["id"], "COMPANY", 1))
    assert exc.value.sqlstate == "SE190"


def active_contract(db: psycopg.Connection) -> dict[str, Any]:
    w.start(db)
    return w.contract(db, w.project(db), w.engineer(db), status="ACTIVE")


def amendment(
    db: psycopg.Connection, contract: dict[str, Any], number: int = 1, **over: Any
) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        contract_id=contract["id"],
        amendment_number=number,
        amendment_type="PRICE_CHANGE",
        effective_date="2025-09-01",
        status="APPROVED",
        approved_by=w.PM,
        approved_at="2025-08-20 10:00+09",
        changes=Jsonb({"monthly_unit_price": {"from": 600000, "to": 650000}}),
    )
    values.update(over)
    return insert_row(db, "contract_context.contract_amendments", values)


def apply(db: psycopg.Connection, row: dict[str, Any]) -> bool:
    return db.execute(
        "SELECT contract_context.apply_amendment(%s, %s)", (row["id"], row["version"])
    ).fetchone()[0]


def test_an_amendment_takes_effect_from_its_month(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    apply(db, amendment(db, contract))
    prices = [db.execute(TERMS, (contract["id"], 2025, m)).fetchone()[0] for m in (8, 9, 10)]
    assert prices == [600000, 650000, 650000]


def test_an_amendment_not_yet_applied_changes_no_month(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    amendment(db, contract)
    assert db.execute(TERMS, (contract["id"], 2025, 10)).fetchone()[0] == 600000


def test_the_latest_amendment_wins_for_a_term(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    apply(db, amendment(db, contract, 1))
    apply(
        db,
        amendment(
            db,
            contract,
            2,
            effective_date="2025-11-01",
            changes=Jsonb({"monthly_unit_price": {"from": 650000, "to": 700000}}),
        ),
    )
    prices = [db.execute(TERMS, (contract["id"], 2025, m)).fetchone()[0] for m in (10, 11)]
    assert prices == [650000, 700000]


def test_a_period_extension_gives_terms_to_the_added_months(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    assert db.execute(TERMS, (contract["id"], 2026, 2)).fetchall() == []
    apply(
        db,
        amendment(
            db,
            contract,
            amendment_type="PERIOD_EXTENSION",
            effective_date="2025-12-01",
            changes=Jsonb({"end_date": {"from": "2025-12-31", "to": "2026-03-31"}}),
        ),
    )
    assert db.execute(TERMS, (contract["id"], 2026, 2)).fetchone() == (
        600000,
        datetime.date(2026, 3, 31),
    )


def test_applying_an_amendment_twice_changes_nothing(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    row = amendment(db, contract)
    assert apply(db, row) is True
    version = w.version(db, "contract_context.contract_amendments", row["id"])
    assert apply(db, row) is False
    assert w.version(db, "contract_context.contract_amendments", row["id"]) == version


def test_an_amendment_not_approved_is_not_applied(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    row = amendment(db, contract, status="DRAFT", approved_by=None, approved_at=None)
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        apply(db, row)
    assert exc.value.sqlstate == "SE194"


def test_an_amendment_effective_mid_month_is_refused(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    row = amendment(db, contract, effective_date="2025-09-15")
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        apply(db, row)
    assert exc.value.sqlstate == "SE195" and exc.value.diag.column_name == "effective_date"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"is_protected_subcontract": {"to": False}}, "changes.is_protected_subcontract"),
        ({"status": {"to": "CANCELLED"}}, "changes.status"),
        ({"monthly_unit_price": 650000}, "changes.monthly_unit_price"),
        ({"monthly_unit_price": {"to": "a lot"}}, "changes.monthly_unit_price"),
    ],
)
def test_an_amendment_changing_anything_but_a_term_is_refused(
    db: psycopg.Connection, changes: dict[str, Any], field: str
) -> None:
    contract = active_contract(db)
    row = amendment(db, contract, changes=Jsonb(changes))
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        apply(db, row)
    assert exc.value.sqlstate == "SE195" and exc.value.diag.column_name == field


@pytest.mark.parametrize(
    ("year", "month", "field"),
    [(2025, 13, "p_month"), (2025, 0, "p_month"), (1999, 5, "p_year"), (None, 5, "p_year")],
)
def test_a_month_out_of_range_is_refused_naming_the_field(
    db: psycopg.Connection, year: int | None, month: int, field: str
) -> None:
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(TERMS, (uuid.uuid4(), year, month))
    assert exc.value.sqlstate == "SE195" and exc.value.diag.column_name == field


def test_an_applied_amendment_cannot_be_changed(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    row = amendment(db, contract)
    apply(db, row)
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(
            "UPDATE contract_context.contract_amendments SET changes = %s WHERE id = %s",
            (Jsonb({"monthly_unit_price": {"from": 600000, "to": 900000}}), row["id"]),
        )
    assert exc.value.sqlstate == "SE196"


def test_a_direct_update_to_applied_is_checked_like_apply_amendment(db: psycopg.Connection) -> None:
    contract = active_contract(db)
    row = amendment(db, contract, effective_date="2025-09-15")
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(
            "UPDATE contract_context.contract_amendments SET status = 'APPLIED' WHERE id = %s",
            (row["id"],),
        )
    assert exc.value.sqlstate == "SE195" and exc.value.diag.column_name == "effective_date"


def test_an_amendment_of_a_contract_not_in_force_is_not_applied(db: psycopg.Connection) -> None:
    w.start(db)
    contract = w.contract(db, w.project(db), w.engineer(db))
    row = amendment(db, contract)
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        apply(db, row)
    assert exc.value.sqlstate == "SE194"
