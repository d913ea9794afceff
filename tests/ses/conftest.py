"""Helpers for the SES schema tests: the catalog's SES tables, one valid sample row per table,
and installing a subset of the migrations (one context alone).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.types.json import Jsonb

from bbase import keys as ses_keys
from bbase import migrate as mig

#: Migration number blocks per SES context (docs/ses.md): a context's migrations
#: are the ids starting with one of its prefixes.
CONTEXT_PREFIXES: dict[str, tuple[str, ...]] = {
    "ses_common": ("0100", "0101", "0102", "0103", "0104", "0105", "0106", "0107", "0108", "0109"),
    "project_context": ("0110", "0111", "0112", "0113", "0114"),
    "engineer_context": ("0115", "0116", "0117", "0118", "0119"),
    "matching_context": ("0120", "0121", "0122", "0123", "0124"),
    "contract_context": ("0130", "0131", "0132", "0133", "0134"),
    "timesheet_context": ("0135", "0136", "0137", "0138", "0139"),
    "billing_context": ("0140", "0141", "0142", "0143", "0144"),
    "report_context": ("0150", "0151", "0152", "0153", "0154"),
    "notification_context": ("0155", "0156", "0157", "0158", "0159"),
}
FOUNDATION_PREFIXES = ("0001",)

SES_TABLES_SQL = r"""
    SELECT c.oid::regclass::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY 1
"""


def ses_tables(conn: psycopg.Connection) -> list[str]:
    """Every SES table (partitioned parents, not partitions), from the catalog."""
    return [r[0] for r in conn.execute(SES_TABLES_SQL)]


def install_subset(dsn: str, contexts: Iterable[str]) -> None:
    """Install the foundation, ses_common and the given contexts only."""
    contexts = list(contexts)
    prefixes = FOUNDATION_PREFIXES + CONTEXT_PREFIXES["ses_common"] + tuple(
        p for c in contexts for p in CONTEXT_PREFIXES[c]
    )
    mig.migrate(dsn, only=prefixes, schemas=["bbase", "ses_common", *contexts])


#: The personal data key set of the test session (random, never written anywhere).
TEST_KEYS = ses_keys.new_key_set()


@dataclass(frozen=True)
class Sealed:
    """A personal value, written as ses_common.encrypt_personal_data(data_class, value)."""

    data_class: str
    value: str


@dataclass(frozen=True)
class Ref:
    """A column value taken from the sample row of another table."""

    table: str
    column: str = "id"


CUSTOMER = uuid.UUID("11111111-1111-4111-8111-111111111111")
USER = uuid.UUID("22222222-2222-4222-8222-222222222222")

#: One valid row per SES table, in dependency order. Partition keys fall in
#: June 2025 (partitions are created by the fixture inside the test transaction).
SAMPLE_ROWS: dict[str, dict[str, Any]] = {
    "project_context.projects": dict(
        project_code="PRJ-001", name="基幹システム刷新", customer_id=CUSTOMER,
        customer_name="株式会社サンプル商事", status="OPEN", priority=4,
        requirements=Jsonb({"must": [{"skill": "Java", "years": 3}]}),
        project_manager_id=USER, sales_manager_id=USER),
    "project_context.project_requirements": dict(
        project_id=Ref("project_context.projects"), requirement_type="SKILL", name="Java",
        min_years=3),
    "project_context.project_phases": dict(
        project_id=Ref("project_context.projects"), sequence_no=1, name="基本設計"),
    "project_context.project_milestones": dict(
        project_id=Ref("project_context.projects"), phase_id=Ref("project_context.project_phases"),
        name="設計レビュー完了", due_date="2025-07-31"),
    "engineer_context.engineers": dict(
        engineer_code="ENG-001", last_name_encrypted=Sealed("engineer_name", "山田"),
        first_name_encrypted=Sealed("engineer_name", "太郎"),
        email_encrypted=Sealed("engineer_contact", "yamada@example.jp"), employment_type="EMPLOYEE",
        skills=Jsonb([{"name": "Java", "years": 5, "level": 4}]), desired_unit_price=600000),
    "engineer_context.skill_assessments": dict(
        engineer_id=Ref("engineer_context.engineers"), skill_category="LANGUAGE",
        skill_name="Java", skill_level=4),
    "engineer_context.certifications": dict(
        engineer_id=Ref("engineer_context.engineers"), certification_name="基本情報技術者"),
    "engineer_context.availability_periods": dict(
        engineer_id=Ref("engineer_context.engineers"), available_from="2025-06-01"),
    "matching_context.matching_requests": dict(
        project_id=Ref("project_context.projects"), customer_id=CUSTOMER, title="Java開発者 1名",
        required_skills=Jsonb([{"name": "Java", "years": 3}])),
    "matching_context.matching_candidates": dict(
        matching_request_id=Ref("matching_context.matching_requests"),
        engineer_id=Ref("engineer_context.engineers"), score=87.5),
    "matching_context.matching_results": dict(
        matching_request_id=Ref("matching_context.matching_requests"),
        matching_candidate_id=Ref("matching_context.matching_candidates"),
        project_id=Ref("project_context.projects"), engineer_id=Ref("engineer_context.engineers"),
        customer_id=CUSTOMER, matching_score=87.5),
    "matching_context.scoring_criteria": dict(factor="MUST_HAVE_SKILLS", weight=45),
    "contract_context.contract_templates": dict(
        template_code="TPL-QM", name="準委任基本契約", contract_type="QUASI_MANDATE",
        contract_side="CUSTOMER", body="..."),
    "contract_context.contracts": dict(
        contract_number="CT-0001", contract_type="QUASI_MANDATE",
        project_id=Ref("project_context.projects"), engineer_id=Ref("engineer_context.engineers"),
        matching_result_id=Ref("matching_context.matching_results"),
        template_id=Ref("contract_context.contract_templates"), customer_id=CUSTOMER,
        counterparty_id=CUSTOMER, counterparty_name="株式会社サンプル商事",
        start_date="2025-06-01", end_date="2025-08-31", monthly_unit_price=600000,
        deduction_hourly_rate=4280, overtime_hourly_rate=3330),
    "contract_context.contract_signatures": dict(
        contract_id=Ref("contract_context.contracts"), signer_party="COMPANY",
        signer_name="佐藤花子", signer_email_encrypted=Sealed("signer_contact", "sato@example.jp")),
    "contract_context.contract_amendments": dict(
        contract_id=Ref("contract_context.contracts"), amendment_number=1,
        amendment_type="PERIOD_EXTENSION", effective_date="2025-09-01",
        changes=Jsonb({"end_date": {"from": "2025-08-31", "to": "2025-11-30"}})),
    "timesheet_context.timesheets": dict(
        period_year=2025, period_month=6, contract_id=Ref("contract_context.contracts"),
        engineer_id=Ref("engineer_context.engineers"), project_id=Ref("project_context.projects"),
        customer_id=CUSTOMER, work_summary=Jsonb({"tasks": ["基本設計"]})),
    "timesheet_context.daily_attendances": dict(
        timesheet_id=Ref("timesheet_context.timesheets"), period_year=2025, period_month=6,
        engineer_id=Ref("engineer_context.engineers"), work_date="2025-06-02",
        start_time="09:00", end_time="18:00", break_minutes=60, work_minutes=480,
        billable_minutes=480),
    "timesheet_context.timesheet_approval_steps": dict(
        timesheet_id=Ref("timesheet_context.timesheets"), period_year=2025, period_month=6,
        step_no=1, action="SUBMIT", from_status="DRAFT", to_status="SUBMITTED",
        actor_type="ENGINEER"),
    "timesheet_context.timesheet_adjustments": dict(
        timesheet_id=Ref("timesheet_context.timesheets"), period_year=2025, period_month=6,
        adjustment_type="HOURS", delta_minutes=30, reason="打刻漏れ"),
    "billing_context.payee_accounts": dict(
        owner_type="ENGINEER", engineer_id=Ref("engineer_context.engineers"), bank_code="0001",
        branch_code="001", account_type=1,
        account_number_encrypted=Sealed("payee_account", "1234567"),
        account_holder_kana_encrypted=Sealed("payee_account", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        account_holder_name_encrypted=Sealed("payee_account", "山田 太郎")),
    "billing_context.transfer_originators": dict(
        originator_code="1234567890", originator_name_kana="ｶ)ﾋﾞ-ﾍﾞ-ｽ", bank_code="0001",
        branch_code="001", account_type=1, account_number="7654321", is_default=True),
    "billing_context.invoices": dict(
        invoice_year=2025, invoice_month=6, invoice_number="INV-202506-001", customer_id=CUSTOMER,
        contract_id=Ref("contract_context.contracts"), project_id=Ref("project_context.projects"),
        recipient_name="株式会社サンプル商事", subtotal_amount=600000, tax_amount=60000,
        total_amount=660000, billing_details=Jsonb({"remarks": "6月分"})),
    "billing_context.invoice_billing_items": dict(
        invoice_id=Ref("billing_context.invoices"), invoice_year=2025, line_no=1,
        item_type="BASE_FEE", description="2025年6月分 システム開発支援 山田太郎",
        contract_id=Ref("contract_context.contracts"),
        timesheet_id=Ref("timesheet_context.timesheets"),
        engineer_id=Ref("engineer_context.engineers"), unit_price=600000, amount=600000),
    "billing_context.invoice_tax_summaries": dict(
        invoice_id=Ref("billing_context.invoices"), invoice_year=2025, tax_rate=0.1,
        taxable_amount=600000, tax_amount=60000),
    "billing_context.invoice_payments": dict(
        invoice_id=Ref("billing_context.invoices"), invoice_year=2025, customer_id=CUSTOMER,
        payment_date="2025-07-31", amount=660000),
    "billing_context.accounting_entries": dict(
        entry_date="2025-06-30", fiscal_year=2025, event_type="INVOICE_ISSUED",
        invoice_id=Ref("billing_context.invoices"), invoice_year=2025,
        contract_id=Ref("contract_context.contracts"), description="6月分売上",
        posted_at="2025-06-30 18:00+09"),
    "billing_context.accounting_entry_lines": dict(
        accounting_entry_id=Ref("billing_context.accounting_entries"), line_no=1, side="DEBIT",
        account_code="1130", account_name="売掛金", amount=660000),
    "report_context.analytics_data": dict(
        target_year=2025, target_date="2025-06-30", category="BILLING",
        metric_key="billing.revenue", metrics=Jsonb({"amount": 600000})),
    "report_context.kpi_definitions": dict(
        kpi_code="UTILIZATION_RATE", name="稼働率", category="UTILIZATION", unit="PERCENT"),
    "report_context.kpi_values": dict(
        kpi_definition_id=Ref("report_context.kpi_definitions"), period_type="MONTH",
        period_start="2025-06-01", period_end="2025-06-30", value=92.5),
    "report_context.dashboards": dict(name="営業ダッシュボード", owner_id=USER),
    "report_context.dashboard_widgets": dict(
        dashboard_id=Ref("report_context.dashboards"),
        kpi_definition_id=Ref("report_context.kpi_definitions"), widget_type="KPI_CARD",
        title="稼働率"),
    "report_context.report_templates": dict(
        template_code="MONTHLY_REVENUE", name="月次売上", report_type="MONTHLY_REVENUE"),
    "report_context.generated_reports": dict(
        report_template_id=Ref("report_context.report_templates"), requested_by=USER),
    "notification_context.notification_channels": dict(channel_type="EMAIL", name="mail"),
    "notification_context.notification_templates": dict(
        template_code="CONTRACT_SIGNED_MAIL", notification_type="CONTRACT_SIGNED",
        channel_type="EMAIL", body_template="契約 {{contract_number}} が締結されました"),
    "notification_context.notifications": dict(
        created_at="2025-06-15 10:00+09", notification_type="CONTRACT_SIGNED", title="契約締結",
        recipient_users=Jsonb([str(USER)]), priority_level=4),
    "notification_context.notification_rules": dict(
        name="契約締結を営業へ", event_type="ContractSigned", notification_type="CONTRACT_SIGNED",
        template_id=Ref("notification_context.notification_templates"),
        channel_id=Ref("notification_context.notification_channels")),
    "notification_context.notification_deliveries": dict(
        notification_id=Ref("notification_context.notifications"),
        notification_created_at=Ref("notification_context.notifications", "created_at"),
        channel_id=Ref("notification_context.notification_channels"), recipient_user_id=USER,
        recipient_address_encrypted=Sealed("delivery_address", "yamada@example.jp")),
    "notification_context.notification_subscriptions": dict(
        user_id=USER, notification_type="CONTRACT_SIGNED",
        channel_id=Ref("notification_context.notification_channels")),
}

#: The partitions the sample rows need (created inside the test transaction).
SAMPLE_PARTITIONS = (
    ("timesheet_context.timesheets", "2025-06-01"),
    ("billing_context.invoices", "2025-06-01"),
    ("report_context.analytics_data", "2025-06-01"),
    ("notification_context.notifications", "2025-06-01"),
)


def value_sql(value: Any) -> sql.Composable:
    """The placeholder(s) of one column value: a Sealed value is encrypted in SQL."""
    if isinstance(value, Sealed):
        return sql.SQL("ses_common.encrypt_personal_data(%s, %s)")
    return sql.Placeholder()


def value_params(value: Any) -> list[Any]:
    if isinstance(value, Sealed):
        return [value.data_class, value.value]
    return [Jsonb(value) if isinstance(value, dict | list) else value]


@contextlib.contextmanager
def history_load(conn: psycopg.Connection) -> Iterator[None]:
    """Insert rows in statuses their workflow owns (an ACTIVE contract, a SUBMITTED
    timesheet) as the owner's history load (ses_common.is_history_load), as the seed does;
    the setting is put back afterwards, so the rest of the test runs under the guards."""
    before = conn.execute("SELECT current_setting('ses_common.history_load', true)").fetchone()[0]
    conn.execute("SELECT set_config('ses_common.history_load', 'on', true)")
    try:
        yield
    finally:
        conn.execute("SELECT set_config('ses_common.history_load', %s, true)", (before or "",))


def insert_row(conn: psycopg.Connection, table: str, values: dict[str, Any]) -> dict[str, Any]:
    schema, name = table.split(".")
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING *").format(
        sql.Identifier(schema, name),
        sql.SQL(", ").join(sql.Identifier(c) for c in values),
        sql.SQL(", ").join(value_sql(v) for v in values.values()),
    )
    params = [p for v in values.values() for p in value_params(v)]
    cur = conn.execute(query, params)
    row = cur.fetchone()
    assert row is not None and cur.description is not None
    return {d.name: v for d, v in zip(cur.description, row, strict=True)}


def insert_samples(conn: psycopg.Connection) -> dict[str, dict[str, Any]]:
    """Insert one sample row per SES table; return the inserted rows by table.

    Loads the test key set into the current transaction first (personal data is
    encrypted with it)."""
    ses_keys.load_keys(conn, TEST_KEYS)
    add_master_branch(conn, "0001", "001")
    for table, day in SAMPLE_PARTITIONS:
        conn.execute("SELECT ses_common.create_partitions(%s::regclass, %s, %s)", (table, day, day))
    rows: dict[str, dict[str, Any]] = {}
    for table, template in SAMPLE_ROWS.items():
        values = {
            col: rows[v.table][v.column] if isinstance(v, Ref) else v for col, v in template.items()
        }
        rows[table] = insert_row(conn, table, values)
    return rows


def add_master_branch(conn: psycopg.Connection, bank_code: str, branch_code: str,
                      bank_kana: str = "ミズホ", branch_kana: str = "トウキヨウ") -> None:
    """Put a bank and branch into the Zengin master (when installed here), so payee
    accounts on them pass the master check."""
    # Read from the catalog: to_regclass would fail for a role without USAGE on zengin. A
    # role that may not write the master (an SES role) relies on a caller that did.
    if not conn.execute(
            "SELECT coalesce(bool_and(has_table_privilege(c.oid, 'INSERT')), false)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'zengin' AND c.relname IN ('banks', 'branches')").fetchone()[0]:
        return
    conn.execute("INSERT INTO zengin.banks (bank_code, name, kana) VALUES (%s, %s, %s)"
                 " ON CONFLICT DO NOTHING", (bank_code, f"銀行{bank_code}", bank_kana))
    conn.execute("INSERT INTO zengin.branches (bank_code, branch_code, name, kana)"
                 " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                 (bank_code, branch_code, f"支店{branch_code}", branch_kana))


@pytest.fixture
def samples(db: psycopg.Connection) -> dict[str, dict[str, Any]]:
    """One valid row in every SES table, inside the test's rolled-back transaction."""
    return insert_samples(db)


def qualified(table: str) -> sql.Composable:
    schema, name = table.split(".")
    return sql.Identifier(schema, name)
