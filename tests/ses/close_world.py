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
    _insert(
        db,
        "engineer_context.engineers",
        {
            "id": eid,
            "engineer_code": f"E-{eid.hex[:10].upper()}",
            "employment_type": "EMPLOYEE",
            "last_name_encrypted": b"\x00\x01opaque",
            "first_name_encrypted": b"\x00\x01opaque",
        },
    )
    return eid


def project(db: psycopg.Connection) -> uuid.UUID:
    pid = uuid.uuid4()
    _insert(
        db,
        "project_context.projects",
        {
            "id": pid,
            "project_code": f"P-{pid.hex[:10].upper()}",
            "name": "基幹システム刷新",
            "customer_id": CUSTOMER,
            "customer_name": "顧客株式会社",
            "status": "OPEN",
        },
    )
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
            "id": tid,
            "period_year": YEAR,
            "period_month": MONTH,
            "contract_id": contract_id,
            "engineer_id": engineer_of(db, contract_id),
            "customer_id": CUSTOMER,
            "status": status,
            "billable_hours": Decimal(hours),
            "submitted_at": "2026-12-01",
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


def journal_of(
    db: psycopg.Connection, invoice_id: uuid.UUID, event: str
) -> dict[tuple[str, str], Decimal]:
    rows = db.execute(
        """SELECT l.side, l.account_name, l.amount
           FROM billing_context.accounting_entries e
           JOIN billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id
           WHERE e.invoice_id = %s AND e.event_type = %s""",
        (invoice_id, event),
    ).fetchall()
    return {(side, account): amount for side, account, amount in rows}


BULK_SQL = """
INSERT INTO project_context.projects (id, project_code, name, customer_id, customer_name, status)
VALUES (%(project)s, 'P-BULK', '一括', %(customer)s, '顧客', 'OPEN');
"""

BULK_CONTRACTS_SQL = """
WITH e AS (
    INSERT INTO engineer_context.engineers (engineer_code, employment_type, last_name_encrypted,
        first_name_encrypted)
    SELECT 'E-BULK-' || g, 'EMPLOYEE', '\\x00016f70617175'::bytea, '\\x00016f70617175'::bytea
    FROM generate_series(1, %(n)s) AS g
    RETURNING id, substr(engineer_code, 8)::int AS g
), c AS (
    INSERT INTO contract_context.contracts (contract_number, contract_type, contract_side,
        project_id, engineer_id, customer_id, counterparty_id, counterparty_name, status,
        start_date, end_date, monthly_unit_price, settlement_method)
    SELECT 'BULK-' || e.g, 'QUASI_MANDATE', 'CUSTOMER', %(project)s, e.id, %(customer)s,
           gen_random_uuid(), '顧客' || e.g, 'ACTIVE', '2026-04-01', '2027-03-31',
           500000 + e.g * 100, (ARRAY['UPPER_LOWER', 'MIDPOINT', 'FIXED'])[1 + e.g %% 3]
    FROM e
    RETURNING id, engineer_id, monthly_unit_price
), p AS (
    INSERT INTO contract_context.contracts (contract_number, contract_type, contract_side,
        project_id, engineer_id, upstream_contract_id, customer_id, counterparty_id,
        counterparty_name, status, start_date, end_date, monthly_unit_price)
    SELECT 'BULKP-' || upper(left(c.id::text, 8)), 'QUASI_MANDATE', 'PARTNER', %(project)s,
           c.engineer_id, c.id, %(customer)s, gen_random_uuid(), 'BP', 'ACTIVE',
           '2026-04-01', '2027-03-31', c.monthly_unit_price - 80000
    FROM c
)
INSERT INTO timesheet_context.timesheets (period_year, period_month, contract_id, engineer_id,
    customer_id, status, billable_hours, submitted_at, approved_at, approved_by)
SELECT 2026, 11, c.id, c.engineer_id, %(customer)s, 'APPROVED', 120 + (random() * 80)::int,
       '2026-12-01', '2026-12-01', %(approver)s
FROM c
"""


def bulk_month(db: psycopg.Connection, n: int) -> None:
    """n engineers, each with a customer and a partner contract and an approved timesheet."""
    params = {
        "customer": CUSTOMER,
        "approver": APPROVER,
        "n": n,
        "project": uuid.UUID("55555555-5555-4555-8555-555555555555"),
    }
    db.execute("SET LOCAL session_replication_role = replica")
    db.execute(BULK_SQL, params)
    db.execute(BULK_CONTRACTS_SQL, params)
    db.execute("SET LOCAL session_replication_role = origin")
