"""Contracts and approved timesheets for the monthly close tests, written directly as superuser.

Rows go in with triggers off (session_replication_role = replica): the cross-context
reference checks would otherwise want projects and engineers, which the close does not read.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql

YEAR, MONTH = 2026, 11
OUR_NAME = "株式会社ビーベース"
OUR_T = "T1234567890123"
CUSTOMER = uuid.UUID("33333333-3333-4333-8333-333333333333")
APPROVER = uuid.UUID("44444444-4444-4444-8444-444444444444")


def prepare(db: psycopg.Connection) -> None:
    """Partitions of the close month (timesheets) and year (invoices)."""
    db.execute(
        "SELECT ses_common.create_partitions('timesheet_context.timesheets', %s, %s)",
        (f"{YEAR}-01-01", f"{YEAR}-12-01"),
    )
    db.execute(
        "SELECT ses_common.create_partitions('billing_context.invoices', %s, %s)",
        (f"{YEAR}-01-01", f"{YEAR}-12-01"),
    )


def _insert(db: psycopg.Connection, table: str, values: dict[str, Any]) -> None:
    schema, name = table.split(".")
    db.execute("SET LOCAL session_replication_role = replica")
    try:
        db.execute(
            sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                sql.Identifier(schema, name),
                sql.SQL(", ").join(map(sql.Identifier, values)),
                sql.SQL(", ").join(sql.Placeholder() * len(values)),
            ),
            list(values.values()),
        )
    finally:
        db.execute("SET LOCAL session_replication_role = origin")


def engineer(db: psycopg.Connection) -> uuid.UUID:
    """An engineer row (personal data stands in as opaque bytes: nothing here decrypts it)."""
    eid = uuid.uuid4()
    _insert(db, "engineer_context.engineers", {
        "id": eid, "engineer_code": f"E-{eid.hex[:10].upper()}", "employment_type": "EMPLOYEE",
        "last_name_encrypted": b"\x00\x01opaque", "first_name_encrypted": b"\x00\x01opaque",
    })
    return eid


def project(db: psycopg.Connection) -> uuid.UUID:
    pid = uuid.uuid4()
    _insert(db, "project_context.projects", {
        "id": pid, "project_code": f"P-{pid.hex[:10].upper()}", "name": "基幹システム刷新",
        "customer_id": CUSTOMER, "customer_name": "顧客株式会社", "status": "OPEN",
    })
    return pid


def contract(
    db: psycopg.Connection,
    *,
    side: str = "CUSTOMER",
    upstream: uuid.UUID | None = None,
    engineer: uuid.UUID | None = None,
    price: str = "600000",
    **terms: Any,
) -> uuid.UUID:
    cid = uuid.uuid4()
    values: dict[str, Any] = {
        "id": cid,
        "contract_number": f"C-{cid.hex[:12].upper()}",
        "contract_type": "QUASI_MANDATE",
        "contract_side": side,
        "project_id": project(db),
        "engineer_id": engineer or globals()["engineer"](db),
        "upstream_contract_id": upstream,
        "customer_id": CUSTOMER,
        "counterparty_id": uuid.uuid4(),
        "counterparty_name": "顧客株式会社" if side == "CUSTOMER" else "パートナー株式会社",
        "status": "ACTIVE",
        "start_date": f"{YEAR}-04-01",
        "end_date": f"{YEAR + 1}-03-31",
        "monthly_unit_price": Decimal(price),
    }
    values.update(terms)
    _insert(db, "contract_context.contracts", values)
    return cid


def engineer_of(db: psycopg.Connection, contract_id: uuid.UUID) -> uuid.UUID:
    return db.execute(
        "SELECT engineer_id FROM contract_context.contracts WHERE id = %s", (contract_id,)
    ).fetchone()[0]


def timesheet(
    db: psycopg.Connection, contract_id: uuid.UUID, hours: str, status: str = "APPROVED"
) -> uuid.UUID:
    tid = uuid.uuid4()
    _insert(
        db,
        "timesheet_context.timesheets",
        {
            "id": tid, "period_year": YEAR, "period_month": MONTH, "contract_id": contract_id,
            "engineer_id": engineer_of(db, contract_id), "customer_id": CUSTOMER, "status": status,
            "billable_hours": Decimal(hours), "submitted_at": "2026-12-01",
            "approved_at": "2026-12-01" if status == "APPROVED" else None,
            "approved_by": APPROVER if status == "APPROVED" else None,
        },
    )
    return tid


def close(db: psycopg.Connection, year: int = YEAR, month: int = MONTH) -> dict[str, Any]:
    return db.execute(
        "SELECT billing_context.close_month(%s, %s, %s, %s)", (year, month, OUR_NAME, OUR_T)
    ).fetchone()[0]


def invoice_of(db: psycopg.Connection, contract_id: uuid.UUID) -> dict[str, Any]:
    cur = db.execute(
        "SELECT * FROM billing_context.invoices WHERE contract_id = %s AND deleted_at IS NULL",
        (contract_id,),
    )
    names = [c.name for c in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def journal_of(db: psycopg.Connection, invoice_id: uuid.UUID, event: str) -> dict[tuple[str, str], Decimal]:
    rows = db.execute(
        """SELECT l.side, l.account_name, l.amount
           FROM billing_context.accounting_entries e
           JOIN billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id
           WHERE e.invoice_id = %s AND e.event_type = %s""",
        (invoice_id, event),
    ).fetchall()
    return {(side, account): amount for side, account, amount in rows}
