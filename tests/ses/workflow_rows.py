"""Rows for the matching, project and contract workflow tests: a project, engineers with
skills, a matching request, a contract with its signature requests. Personal values are
encrypted with the test key set (loaded by ``start``)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from bbase import keys as ses_keys
from tests.ses.conftest import TEST_KEYS, Sealed, history_load, insert_row, qualified

PM = uuid.UUID("33333333-3333-4333-8333-333333333333")
OTHER_PM = uuid.UUID("44444444-4444-4444-8444-444444444444")
CUSTOMER = uuid.UUID("11111111-1111-4111-8111-111111111111")
_codes = itertools.count(1)


def start(conn: psycopg.Connection) -> None:
    ses_keys.load_keys(conn, TEST_KEYS)


def project(conn: psycopg.Connection, manager: uuid.UUID = PM, **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        project_code=f"PRJ-{next(_codes):04d}",
        name="基幹システム刷新",
        customer_id=CUSTOMER,
        customer_name="株式会社サンプル商事",
        status="PROPOSING",
        start_date="2025-08-01",
        end_date="2026-03-31",
        project_manager_id=manager,
    )
    values.update(over)
    return insert_row(conn, "project_context.projects", values)


def engineer(
    conn: psycopg.Connection, skills: dict[str, tuple[int, float]] | None = None, **over: Any
) -> dict[str, Any]:
    """An engineer available now, rate 600,000, 5 years, with skills {name: (level, years)}."""
    values: dict[str, Any] = dict(
        engineer_code=f"ENG-{next(_codes):04d}",
        last_name_encrypted=Sealed("engineer_name", "山田"),
        first_name_encrypted=Sealed("engineer_name", "太郎"),
        employment_type="FREELANCE",
        chain_depth=1,
        availability_status="AVAILABLE",
        years_of_experience=5,
        desired_unit_price=600000,
        remote_preference="ANY",
    )
    values.update(over)
    row = insert_row(conn, "engineer_context.engineers", values)
    for name, (level, years) in (skills or {}).items():
        insert_row(
            conn,
            "engineer_context.skill_assessments",
            dict(
                engineer_id=row["id"],
                skill_category="LANGUAGE",
                skill_name=name,
                skill_level=level,
                years_of_experience=years,
            ),
        )
    return row


def request(conn: psycopg.Connection, project_row: dict[str, Any], **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        project_id=project_row["id"],
        customer_id=CUSTOMER,
        title="Java開発者 1名",
        required_skills=Jsonb([{"name": "Java", "years": 3}]),
        budget_max=650000,
        desired_start_date="2025-08-01",
        status="OPEN",
        project_manager_id=project_row["project_manager_id"],
    )
    values.update(over)
    return insert_row(conn, "matching_context.matching_requests", values)


def contract(
    conn: psycopg.Connection,
    project_row: dict[str, Any],
    engineer_row: dict[str, Any],
    history: bool | None = None,
    **over: Any,
) -> dict[str, Any]:
    """A contract; one in a later status than DRAFT is inserted as a history load (a contract
    signed elsewhere) unless history=False."""
    values: dict[str, Any] = dict(
        contract_number=f"CT-{next(_codes):04d}",
        contract_type="QUASI_MANDATE",
        project_id=project_row["id"],
        engineer_id=engineer_row["id"],
        customer_id=CUSTOMER,
        counterparty_id=CUSTOMER,
        counterparty_name="株式会社サンプル商事",
        start_date="2025-06-01",
        end_date="2025-12-31",
        monthly_unit_price=600000,
    )
    values.update(over)
    if not (values.get("status", "DRAFT") != "DRAFT" if history is None else history):
        return insert_row(conn, "contract_context.contracts", values)
    with history_load(conn):  # a contract already signed elsewhere
        return insert_row(conn, "contract_context.contracts", values)


def signature_request(
    conn: psycopg.Connection, contract_row: dict[str, Any], party: str, **over: Any
) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        contract_id=contract_row["id"],
        signer_party=party,
        signer_name="佐藤花子",
        signer_email_encrypted=Sealed("signer_contact", "sato@example.jp"),
    )
    values.update(over)
    return insert_row(conn, "contract_context.contract_signatures", values)


def events(
    conn: psycopg.Connection, event_type: str, aggregate_id: uuid.UUID
) -> list[dict[str, Any]]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT payload FROM ses_common.event_outbox"
            " WHERE event_type = %s AND aggregate_id = %s"
            " ORDER BY id",
            (event_type, aggregate_id),
        ).fetchall()
    ]


def version(conn: psycopg.Connection, table: str, row_id: uuid.UUID) -> int:
    query = sql.SQL("SELECT version FROM {} WHERE id = %s").format(qualified(table))
    return conn.execute(query, (row_id,)).fetchone()[0]
