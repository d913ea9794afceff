"""Tenants of real SES rows for the row-level security tests (two by default).

World k (0, 1, …) has its own customer, project manager (world 0 manages its project, world 1
sells it: project_manager_id and sales_manager_id are both owner columns), engineer and finance
user, and one or more rows in every SES table, each tagged with the world it belongs to and,
where a row is addressed to one user, that user's role. The tests compare what each role sees
and changes with what the tags say it should.

Every row carrying personal data (engineers, contracts, contract signatures, payee accounts) is
made by ``personal_values``, the one place that knows those columns are encrypted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from bbase import keys as ses_keys
from tests.ses.conftest import (
    SAMPLE_ROWS,
    TEST_KEYS,
    Ref,
    Sealed,
    add_master_branch,
    history_load,
    insert_row,
    qualified,
)

ADMIN, PM, FINANCE, ENGINEER, CUSTOMER = (
    "ses_admin_role", "ses_project_manager_role", "ses_finance_role",
    "ses_engineer_role", "ses_customer_role")
ROLES = (ADMIN, PM, FINANCE, ENGINEER, CUSTOMER)
PARTITION_MONTHS = ("2025-06-01", "2025-07-01")


@dataclass
class Row:
    """One inserted row: its id, its world, the role of the one user it is addressed to
    (None: the whole world's), and facts the rules look at (status, side, direction)."""

    table: str
    id: uuid.UUID
    world: int
    owner: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    """The users of both worlds (actors[k][role] is the id the role acts as in world k) and
    every row inserted."""

    actors: list[dict[str, uuid.UUID]]
    rows: list[Row] = field(default_factory=list)

    def of(self, table: str) -> list[Row]:
        return [r for r in self.rows if r.table == table]


def personal_values(table: str, k: int, n: int = 0) -> dict[str, Any]:
    """The personal-data columns of a test row of ``table`` for world ``k`` (row ``n``): the
    single place that knows how engineers', signers' and payees' personal data is stored
    (encrypted in SQL with the test key set, docs/ses.md "Personal data encryption")."""
    if table == "engineer_context.engineers":
        return dict(last_name_encrypted=Sealed("engineer_name", f"山田{k}"),
                    first_name_encrypted=Sealed("engineer_name", f"太郎{n}"),
                    last_name_kana_encrypted=Sealed("engineer_name", "ヤマダ"),
                    first_name_kana_encrypted=Sealed("engineer_name", "タロウ"),
                    email_encrypted=Sealed("engineer_contact", f"eng{k}.{n}@example.jp"),
                    phone_encrypted=Sealed("engineer_contact", f"090-0000-00{k}{n}"))
    if table == "contract_context.contract_signatures":
        return dict(signer_name=f"佐藤花子{k}",
                    signer_email_encrypted=Sealed("signer_contact", f"signer{k}@example.jp"))
    if table == "billing_context.payee_accounts":
        return dict(account_number_encrypted=Sealed("payee_account", f"{1234500 + 10 * k + n:07d}"),
                    account_holder_kana_encrypted=Sealed("payee_account", "ﾔﾏﾀﾞ ﾀﾛｳ"),
                    account_holder_name_encrypted=Sealed("payee_account", f"山田太郎{k}"))
    if table == "contract_context.contracts":
        return {}
    raise KeyError(table)


def _world_overrides(k: int, a: dict[str, uuid.UUID]) -> dict[str, dict[str, Any]]:
    """Per-table values that make world k's rows unique and owned by world k's users."""
    return {
        "project_context.projects": dict(
            project_code=f"PRJ-W{k}", customer_id=a[CUSTOMER],
            project_manager_id=a[PM] if k % 2 == 0 else None,
            sales_manager_id=a[PM] if k % 2 == 1 else None),
        "engineer_context.engineers": dict(engineer_code=f"ENG-W{k}"),
        "billing_context.transfer_originators": dict(
            originator_code=f"{1234567890 + k}", is_default=k == 0),
        "matching_context.matching_requests": dict(customer_id=a[CUSTOMER]),
        "matching_context.matching_results": dict(customer_id=a[CUSTOMER]),
        "matching_context.scoring_criteria": dict(tenant_id=uuid.uuid4()),
        "contract_context.contract_templates": dict(template_code=f"TPL-W{k}"),
        "contract_context.contracts": dict(
            contract_number=f"CT-W{k}", customer_id=a[CUSTOMER], counterparty_id=a[CUSTOMER]),
        "timesheet_context.timesheets": dict(customer_id=a[CUSTOMER], status="DRAFT"),
        "timesheet_context.timesheet_approval_steps": dict(actor_id=a[ENGINEER]),
        "billing_context.invoices": dict(
            invoice_number=f"INV-W{k}", customer_id=a[CUSTOMER], status="ISSUED",
            issuer_name="当社", issuer_registration_no="T1234567890123",
            issue_date="2025-06-30", due_date="2025-07-31",
            service_period_start="2025-06-01", service_period_end="2025-06-30"),
        "billing_context.invoice_payments": dict(customer_id=a[CUSTOMER]),
        "report_context.kpi_definitions": dict(kpi_code=f"KPI_W{k}"),
        "report_context.dashboards": dict(owner_id=a[PM]),
        "report_context.report_templates": dict(template_code=f"RPT_W{k}"),
        "report_context.generated_reports": dict(requested_by=a[PM]),
        "notification_context.notification_channels": dict(name=f"mail-w{k}"),
        "notification_context.notification_templates": dict(template_code=f"TPL_W{k}"),
        "notification_context.notifications": dict(
            recipient_users=Jsonb([str(a[r]) for r in (PM, FINANCE, ENGINEER, CUSTOMER)])),
        "notification_context.notification_deliveries": dict(recipient_user_id=a[PM]),
        "notification_context.notification_subscriptions": dict(user_id=a[PM]),
    }


#: Tables whose sample row is addressed to one user: the role of that user.
ADDRESSED = {
    "report_context.dashboards": PM, "report_context.generated_reports": PM,
    "notification_context.notification_deliveries": PM,
    "notification_context.notification_subscriptions": PM,
}


def _facts(table: str, row: dict[str, Any]) -> dict[str, Any]:
    return {c: row[c] for c in ("status", "contract_side", "direction") if c in row}


def build_world(conn: psycopg.Connection, worlds: int = 2) -> World:
    """Insert the worlds 0 … ``worlds`` - 1 (as the connected superuser, in the caller's
    transaction; at most 100: codes and account numbers are built from k).

    The worlds are the only rows: reference rows that migrations ship (notification
    channels, templates and rules, KPI definitions) are removed first, so what each role
    sees can be compared with the world's rows exactly."""
    ses_keys.load_keys(conn, TEST_KEYS)  # personal values are encrypted in SQL
    tables = [r[0] for r in conn.execute(
        "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname LIKE '%\\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition")]
    conn.execute("TRUNCATE " + ", ".join(tables) + " CASCADE")
    add_master_branch(conn, "0001", "001")  # payee accounts must be on a master branch
    for table in ("timesheet_context.timesheets", "billing_context.invoices",
                  "report_context.analytics_data", "notification_context.notifications"):
        conn.execute("SELECT ses_common.create_partitions(%s::regclass, %s, %s)",
                     (table, PARTITION_MONTHS[0], PARTITION_MONTHS[1]))
    if not 1 <= worlds <= 100:
        raise ValueError(f"worlds: {worlds} is not between 1 and 100")
    world = World(actors=[])
    for k in range(worlds):
        a = {r: uuid.uuid4() for r in ROLES}
        world.actors.append(a)
        over = _world_overrides(k, a)
        made: dict[str, dict[str, Any]] = {}

        def add(table: str, values: dict[str, Any], owner: str | None = None,
                _k: int = k, _made: dict[str, dict[str, Any]] = made) -> dict[str, Any]:
            row = insert_row(conn, table, values)
            _made.setdefault(table, row)
            world.rows.append(Row(table, row["id"], _k, owner, _facts(table, row)))
            return row

        for table, template in SAMPLE_ROWS.items():
            values = {c: made[v.table][v.column] if isinstance(v, Ref) else v
                      for c, v in template.items()}
            values.update(over.get(table, {}))
            if table in ("engineer_context.engineers", "contract_context.contract_signatures",
                         "billing_context.payee_accounts", "contract_context.contracts"):
                values.update(personal_values(table, k))
            row = add(table, values, ADDRESSED.get(table))
            if table == "engineer_context.engineers":
                a[ENGINEER] = row["id"]
                over = _world_overrides(k, a)
            if table == "contract_context.contracts":
                # The partner side of the same placement: never shown to the customer.
                add(table, {**values, **personal_values(table, k, 1),
                            "contract_number": f"CT-W{k}-P", "contract_side": "PARTNER",
                            "upstream_contract_id": row["id"], "counterparty_id": uuid.uuid4(),
                            "counterparty_name": "パートナー株式会社", "matching_result_id": None})
            if table == "timesheet_context.timesheets":
                # A second month, submitted: the customer sees it and may approve it.
                with history_load(conn):
                    add(table, {**values, "period_month": 7, "status": "SUBMITTED",
                                "submitted_at": "2025-08-01 09:00+09"})
            if table == "timesheet_context.daily_attendances":
                sub = world.of("timesheet_context.timesheets")[-1]
                add(table, {**values, "timesheet_id": sub.id, "period_month": 7,
                            "work_date": "2025-07-01"})
            if table == "billing_context.invoices":
                # A payable (partner side) invoice of the same project: never the customer's.
                add(table, {**values, "invoice_number": f"PAY-W{k}", "direction": "PAYABLE",
                            "issuer_registration_no": None})
            if table == "billing_context.accounting_entry_lines":
                # The credit side, so the posted entry balances at commit.
                add(table, {**values, "line_no": 2, "side": "CREDIT", "account_code": "4110",
                            "account_name": "売上高"})
            if table in ("report_context.dashboards", "report_context.generated_reports"):
                owner_col = "owner_id" if table.endswith("dashboards") else "requested_by"
                add(table, {**values, owner_col: a[FINANCE]}, FINANCE)
            if table in ("notification_context.notification_deliveries",
                         "notification_context.notification_subscriptions"):
                col = "recipient_user_id" if table.endswith("deliveries") else "user_id"
                for role in (FINANCE, ENGINEER, CUSTOMER):
                    add(table, {**values, col: a[role]}, role)
        # The finance dashboard's widget.
        fin_dash = [r for r in world.of("report_context.dashboards")
                    if r.world == k and r.owner == FINANCE][0]
        add("report_context.dashboard_widgets",
            {**{c: made[v.table][v.column] if isinstance(v, Ref) else v
                for c, v in SAMPLE_ROWS["report_context.dashboard_widgets"].items()},
             "dashboard_id": fin_dash.id}, FINANCE)
    # Children carry the facts of the parent the rules look at.
    parents = {r.id: r for r in world.rows}
    for table, col in (("timesheet_context.daily_attendances", "timesheet_id"),
                       ("timesheet_context.timesheet_approval_steps", "timesheet_id"),
                       ("timesheet_context.timesheet_adjustments", "timesheet_id"),
                       ("billing_context.invoice_billing_items", "invoice_id"),
                       ("billing_context.invoice_tax_summaries", "invoice_id"),
                       ("billing_context.invoice_payments", "invoice_id")):
        for r in world.of(table):
            parent_id = conn.execute(
                sql.SQL("SELECT {} FROM {} WHERE id = %s").format(
                    sql.Identifier(col), qualified(table)), (r.id,)).fetchone()[0]
            r.facts["parent"] = parents[parent_id].facts
    # Widgets follow their dashboard's owner.
    owners = {r.id: r.owner for r in world.of("report_context.dashboards")}
    for r in world.of("report_context.dashboard_widgets"):
        if r.owner is None:
            r.owner = owners[conn.execute(
                "SELECT dashboard_id FROM report_context.dashboard_widgets WHERE id = %s",
                (r.id,)).fetchone()[0]]
    return world
