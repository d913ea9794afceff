"""ses_monitoring.check_consistency(): each of its checks finds the fault it names, and only it.

The faults cannot be made through the product (deferred balance triggers, totals frozen
after submission, a unique index), so each test makes one as the superuser with the
triggers off (session_replication_role = replica) or the index dropped, inside the test's
rolled-back transaction.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest

CHECKS = ("unbalanced journal entries", "timesheet totals not matching their days",
          "contract months invoiced twice", "timesheets billed on two invoices")


def _report(db: psycopg.Connection) -> dict[str, tuple[int, str | None]]:
    rows = db.execute("SELECT check_name, violations, example"
                      " FROM ses_monitoring.check_consistency()").fetchall()
    return {name: (violations, example) for name, violations, example in rows}


def _entry(db: psycopg.Connection, status: str, lines: list[tuple[str, int]]) -> uuid.UUID:
    entry = uuid.uuid4()
    db.execute("SET LOCAL session_replication_role = replica")
    db.execute(
        "INSERT INTO billing_context.accounting_entries (id, entry_date, fiscal_year, event_type,"
        " description, status, posted_at) VALUES (%s, '2026-11-30', 2026, 'MANUAL', 'test', %s,"
        " CASE WHEN %s <> 'DRAFT' THEN now() END)", (entry, status, status))
    for n, (side, amount) in enumerate(lines, start=1):
        db.execute(
            "INSERT INTO billing_context.accounting_entry_lines (accounting_entry_id, line_no,"
            " side, account_code, account_name, amount) VALUES (%s, %s, %s, '111', '普通預金', %s)",
            (entry, n, side, amount))
    db.execute("SET LOCAL session_replication_role = origin")
    return entry


def test_every_check_reports_zero_on_a_database_without_faults(db: psycopg.Connection) -> None:
    _entry(db, "POSTED", [("DEBIT", 1000), ("CREDIT", 600), ("CREDIT", 400)])
    report = _report(db)
    assert tuple(report) == CHECKS
    assert all(violations == 0 for violations, _ in report.values())


def test_a_posted_journal_entry_whose_debits_differ_from_its_credits_is_reported(
    db: psycopg.Connection,
) -> None:
    entry = _entry(db, "POSTED", [("DEBIT", 1000), ("CREDIT", 999)])
    assert _report(db)["unbalanced journal entries"] == (1, str(entry))


def test_a_posted_journal_entry_without_lines_is_reported(db: psycopg.Connection) -> None:
    entry = _entry(db, "POSTED", [])
    assert _report(db)["unbalanced journal entries"] == (1, str(entry))


def test_an_unbalanced_draft_journal_entry_is_not_a_fault(db: psycopg.Connection) -> None:
    _entry(db, "DRAFT", [("DEBIT", 1000)])
    assert _report(db)["unbalanced journal entries"] == (0, None)


def _timesheet(db: psycopg.Connection, status: str, minutes: int, days: int) -> uuid.UUID:
    sheet = uuid.uuid4()
    db.execute("SELECT ses_common.create_partitions('timesheet_context.timesheets',"
               " '2026-11-01', '2026-11-01')")
    db.execute("SET LOCAL session_replication_role = replica")
    db.execute(
        "INSERT INTO timesheet_context.timesheets (id, period_year, period_month, contract_id,"
        " engineer_id, customer_id, status, total_work_minutes, working_days, submitted_at)"
        " VALUES (%s, 2026, 11, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), %s, %s,"
        " %s, CASE WHEN %s <> 'DRAFT' THEN now() END)",
        (sheet, status, minutes, days, status))
    db.execute(
        "INSERT INTO timesheet_context.daily_attendances (timesheet_id, period_year, period_month,"
        " engineer_id, work_date, attendance_type, start_time, end_time, break_minutes,"
        " work_minutes) VALUES (%s, 2026, 11, gen_random_uuid(), '2026-11-02', 'WORK', '09:00',"
        " '18:00', 60, 480)", (sheet,))
    db.execute("SET LOCAL session_replication_role = origin")
    return sheet


def test_a_submitted_timesheet_whose_totals_miss_a_day_is_reported(db: psycopg.Connection) -> None:
    sheet = _timesheet(db, "SUBMITTED", 0, 0)
    assert _report(db)["timesheet totals not matching their days"] == (1, str(sheet))


def test_a_submitted_timesheet_whose_totals_match_its_days_is_not_a_fault(
    db: psycopg.Connection,
) -> None:
    _timesheet(db, "SUBMITTED", 480, 1)
    assert _report(db)["timesheet totals not matching their days"] == (0, None)


def test_a_draft_timesheet_is_not_checked_against_its_days(db: psycopg.Connection) -> None:
    _timesheet(db, "DRAFT", 0, 0)
    assert _report(db)["timesheet totals not matching their days"] == (0, None)


def test_a_contract_month_invoiced_twice_is_reported(db: psycopg.Connection) -> None:
    contract = uuid.uuid4()
    db.execute("SELECT ses_common.create_partitions('billing_context.invoices',"
               " '2026-01-01', '2026-01-01')")
    db.execute("DROP INDEX billing_context.invoices_contract_month_key")  # rolled back
    db.execute("SET LOCAL session_replication_role = replica")
    for n in (1, 2):
        db.execute(
            "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
            " direction, customer_id, contract_id, recipient_name) VALUES (2026, 11, %s,"
            " 'RECEIVABLE', gen_random_uuid(), %s, '顧客株式会社')", (f"TEST-{n}", contract))
    db.execute("SET LOCAL session_replication_role = origin")
    assert _report(db)["contract months invoiced twice"] == (1, str(contract))


@pytest.mark.parametrize("role, allowed", [
    ("bbase_operator", True), ("bbase_readonly", False), ("ses_finance_role", False),
    ("ses_engineer_role", False), ("public", False),
])
def test_check_consistency_is_granted_to_the_operator_only(
    db: psycopg.Connection, role: str, allowed: bool,
) -> None:
    if role == "public":
        granted = db.execute(
            "SELECT EXISTS (SELECT FROM pg_proc AS p, aclexplode(p.proacl) AS a"
            " WHERE p.oid = 'ses_monitoring.check_consistency()'::regprocedure"
            " AND a.grantee = 0)").fetchone()[0]
    else:
        granted = db.execute("SELECT has_function_privilege(%s,"
                             " 'ses_monitoring.check_consistency()', 'EXECUTE')",
                             (role,)).fetchone()[0]
    assert granted is allowed


@pytest.mark.parametrize(("first_status", "violations"), [("CANCELLED", 0), ("DRAFT", 1)])
def test_a_timesheet_is_billed_twice_only_when_neither_invoice_is_cancelled(
    db: psycopg.Connection, first_status: str, violations: int
) -> None:
    contract, timesheet = uuid.uuid4(), uuid.uuid4()
    db.execute("SET LOCAL session_replication_role = replica")
    for n, (month, status) in enumerate([(10, first_status), (11, "DRAFT")], start=1):
        invoice = db.execute(
            "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
            " direction, customer_id, contract_id, recipient_name, status, cancelled_at)"
            " VALUES (2025, %s, %s, 'RECEIVABLE', gen_random_uuid(), %s, '顧客株式会社', %s,"
            " CASE WHEN %s = 'CANCELLED' THEN now() END) RETURNING id",
            (month, f"TEST-TS-{n}", contract, status, status)).fetchone()[0]
        db.execute(
            "INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no,"
            " item_type, description, contract_id, timesheet_id, unit_price, amount)"
            " VALUES (%s, 2025, 1, 'BASE_FEE', 'test', %s, %s, 1000, 1000)",
            (invoice, contract, timesheet))
    db.execute("SET LOCAL session_replication_role = origin")
    assert _report(db)["timesheets billed on two invoices"][0] == violations
