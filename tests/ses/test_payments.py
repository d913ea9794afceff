"""Payments: record_receipt, record_partner_payment and mark_overdue_invoices.

Journals follow the table of ses-domain-rules.md section 3 (client invoice 698,461 yen).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from tests.ses import close_world as w

DB = psycopg.Connection


@pytest.fixture
def billed(db: DB) -> dict[str, Any]:
    """A closed month: the customer invoice of example 1 (698,461) and a 572,000 payable."""
    w.prepare(db)
    c = w.contract(db)
    p = w.contract(
        db,
        side="PARTNER",
        upstream=c,
        engineer=w.engineer_of(db, c),
        price="520000",
        settlement_method="FIXED",
        contract_terms='{"invoice_registration_no": "T9876543210987"}',
    )
    w.timesheet(db, c, "190.5")
    w.close(db)
    return {
        "db": db,
        "receivable": w.invoice_of(db, c),
        "payable": w.invoice_of(db, p),
        "c": c,
        "p": p,
    }


def receipt(
    db: DB,
    inv: dict[str, Any],
    amount: int,
    fee: int = 0,
    treatment: str | None = None,
    ref: str | None = None,
) -> uuid.UUID:
    version = db.execute(
        "SELECT version FROM billing_context.invoices WHERE id = %s", (inv["id"],)
    ).fetchone()[0]
    return db.execute(
        "SELECT billing_context.record_receipt(%s, %s, '2026-12-28', %s, %s, %s, %s)",
        (inv["id"], version, amount, fee, treatment, ref),
    ).fetchone()[0]


def pay(
    db: DB, inv: dict[str, Any], amount: int, fee: int = 0, ref: str | None = None
) -> uuid.UUID:
    version = db.execute(
        "SELECT version FROM billing_context.invoices WHERE id = %s", (inv["id"],)
    ).fetchone()[0]
    return db.execute(
        "SELECT billing_context.record_partner_payment(%s, %s, '2026-12-31', %s, %s, %s)",
        (inv["id"], version, amount, fee, ref),
    ).fetchone()[0]


def status(db: DB, inv: dict[str, Any]) -> tuple[str, Decimal]:
    return db.execute(
        "SELECT status, paid_amount FROM billing_context.invoices WHERE id = %s", (inv["id"],)
    ).fetchone()


def payment_journal(db: DB, payment_id: uuid.UUID) -> dict[tuple[str, str], Decimal]:
    rows = db.execute(
        """SELECT l.side, l.account_name, l.amount FROM billing_context.accounting_entries e
           JOIN billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id
           WHERE e.invoice_payment_id = %s""",
        (payment_id,),
    ).fetchall()
    return {(side, account): amount for side, account, amount in rows}


def test_a_partial_receipt_leaves_the_invoice_partially_paid(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    receipt(db, inv, 300000)
    assert status(db, inv) == ("PARTIALLY_PAID", 300000)


def test_the_rest_of_the_money_makes_it_paid(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    receipt(db, inv, 300000)
    receipt(db, inv, 398461)
    assert status(db, inv) == ("PAID", 698461)


def test_an_exact_receipt_posts_bank_against_receivable(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    pid = receipt(db, inv, 698461)
    assert payment_journal(db, pid) == {("DEBIT", "普通預金"): 698461, ("CREDIT", "売掛金"): 698461}


def test_a_fee_deducted_as_expense_is_the_rules_second_row(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    pid = receipt(db, inv, 697801, fee=660, treatment="EXPENSE")
    assert status(db, inv) == ("PAID", 698461)
    assert payment_journal(db, pid) == {
        ("DEBIT", "普通預金"): 697801,
        ("DEBIT", "支払手数料"): 600,
        ("DEBIT", "仮払消費税"): 60,
        ("CREDIT", "売掛金"): 698461,
    }


def test_a_fee_deducted_as_sales_return_is_the_rules_third_row(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    pid = receipt(db, inv, 697801, fee=660, treatment="SALES_RETURN")
    assert payment_journal(db, pid) == {
        ("DEBIT", "普通預金"): 697801,
        ("DEBIT", "売上値引"): 600,
        ("DEBIT", "仮受消費税"): 60,
        ("CREDIT", "売掛金"): 698461,
    }


def test_an_overpayment_pays_the_invoice_and_books_the_excess_to_suspense(
    billed: dict[str, Any],
) -> None:
    db, inv = billed["db"], billed["receivable"]
    pid = receipt(db, inv, 700000)
    assert status(db, inv) == ("PAID", 698461)
    assert payment_journal(db, pid)[("CREDIT", "仮受金")] == 1539


def test_the_same_bank_reference_is_not_booked_twice(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    first = receipt(db, inv, 300000, ref="BANK-1")
    again = receipt(db, inv, 300000, ref="BANK-1")
    assert again == first
    assert status(db, inv) == ("PARTIALLY_PAID", 300000)


def test_a_paid_invoice_takes_no_more_money_se182(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    receipt(db, inv, 698461)
    with pytest.raises(psycopg.DatabaseError) as err:
        receipt(db, inv, 1)
    assert err.value.sqlstate == "SE182"


def test_a_receipt_on_a_payable_is_refused_se182(billed: dict[str, Any]) -> None:
    with pytest.raises(psycopg.DatabaseError) as err:
        receipt(billed["db"], billed["payable"], 1000)
    assert err.value.sqlstate == "SE182"


@pytest.mark.parametrize(
    ("amount", "fee", "treatment", "field"),
    [
        (0, 0, None, "p_amount"),
        (-5, 0, None, "p_amount"),
        (Decimal("100.5"), 0, None, "p_amount"),
        (100, 660, None, "p_fee_treatment"),
        (100, 0, "EXPENSE", "p_fee_treatment"),
        (100, 660, "GIFT", "p_fee_treatment"),
        (100, -1, None, "p_fee_amount"),
    ],
)
def test_bad_receipt_input_raises_se183_naming_the_field(
    billed: dict[str, Any], amount: int, fee: int, treatment: str | None, field: str
) -> None:
    with pytest.raises(psycopg.DatabaseError) as err:
        receipt(billed["db"], billed["receivable"], amount, fee, treatment)
    assert err.value.sqlstate == "SE183"
    assert f"invalid {field}:" in str(err.value)


@pytest.mark.parametrize(
    ("amount", "fee", "date", "field"),
    [
        (0, 0, "2026-12-31", "p_amount"),
        (-5, 0, "2026-12-31", "p_amount"),
        (Decimal("100.5"), 0, "2026-12-31", "p_amount"),
        (100, -1, "2026-12-31", "p_fee_amount"),
        (100, Decimal("0.5"), "2026-12-31", "p_fee_amount"),
        (100, 0, None, "p_payment_date"),
    ],
)
def test_bad_partner_payment_input_raises_se183_naming_the_field(
    billed: dict[str, Any], amount: Decimal, fee: Decimal, date: str | None, field: str
) -> None:
    db, inv = billed["db"], billed["payable"]
    version = db.execute(
        "SELECT version FROM billing_context.invoices WHERE id = %s", (inv["id"],)
    ).fetchone()[0]
    with pytest.raises(psycopg.DatabaseError) as err:
        db.execute("SELECT billing_context.record_partner_payment(%s, %s, %s, %s, %s)",
                   (inv["id"], version, date, amount, fee))
    assert err.value.sqlstate == "SE183"
    assert f"invalid {field}:" in str(err.value)


def test_a_stale_invoice_version_is_refused_se001(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    with pytest.raises(psycopg.DatabaseError) as err:
        db.execute("SELECT billing_context.record_receipt(%s, 1, '2026-12-28', 1000)", (inv["id"],))
    assert err.value.sqlstate == "SE001"


def test_paying_the_partner_with_our_fee_is_the_rules_last_row(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["payable"]
    pid = pay(db, inv, 572000, fee=440)
    assert status(db, inv) == ("PAID", 572000)
    assert payment_journal(db, pid) == {
        ("DEBIT", "買掛金"): 572000,
        ("DEBIT", "支払手数料"): 400,
        ("DEBIT", "仮払消費税"): 40,
        ("CREDIT", "普通預金"): 572440,
    }


def test_we_never_pay_a_partner_more_than_is_owed_se183(billed: dict[str, Any]) -> None:
    with pytest.raises(psycopg.DatabaseError) as err:
        pay(billed["db"], billed["payable"], 572001)
    assert err.value.sqlstate == "SE183"


def test_an_invoice_past_its_due_date_becomes_overdue(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    count = db.execute("SELECT billing_context.mark_overdue_invoices('2027-01-01')").fetchone()[0]
    assert count >= 1
    assert status(db, inv)[0] == "OVERDUE"


def test_an_overdue_invoice_partly_paid_stays_overdue_until_paid(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    db.execute("SELECT billing_context.mark_overdue_invoices('2027-01-01')")
    receipt(db, inv, 100)
    assert status(db, inv) == ("OVERDUE", 100)


def test_maintenance_marks_overdue_invoices(billed: dict[str, Any]) -> None:
    db = billed["db"]
    db.execute(
        "UPDATE billing_context.invoices SET issue_date = '2026-01-31', due_date = '2026-02-28'"
        " WHERE id = %s",
        (billed["receivable"]["id"],),
    )
    result = db.execute("SELECT bbase.run_maintenance()").fetchone()[0]
    assert result["billing_context"]["invoicesOverdue"] >= 1


def test_every_payment_entry_balances(billed: dict[str, Any]) -> None:
    db = billed["db"]
    receipt(db, billed["receivable"], 697801, fee=660, treatment="EXPENSE")
    pay(db, billed["payable"], 300000, fee=440)
    db.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rows = db.execute(
        """SELECT e.event_type, sum(l.amount) FILTER (WHERE l.side = 'DEBIT')
                                  = sum(l.amount) FILTER (WHERE l.side = 'CREDIT')
           FROM billing_context.accounting_entries e
           JOIN billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id
           GROUP BY e.id, e.event_type ORDER BY e.event_type"""
    ).fetchall()  # noqa: E501
    assert rows == [
        ("INVOICE_ISSUED", True),
        ("PAYABLE_RECORDED", True),
        ("PAYMENT_MADE", True),
        ("PAYMENT_RECEIVED", True),
    ]


def test_a_receipt_emits_payment_received(billed: dict[str, Any]) -> None:
    db, inv = billed["db"], billed["receivable"]
    pid = receipt(db, inv, 698461)
    payload = db.execute(
        "SELECT payload FROM ses_common.event_outbox"
        " WHERE event_type = 'PaymentReceived' AND aggregate_id = %s",
        (inv["id"],),
    ).fetchone()[0]
    assert (payload["paymentId"], payload["status"]) == (str(pid), "PAID")


def test_a_reversal_mirrors_the_entry_and_marks_it_reversed(billed: dict[str, Any]) -> None:
    db = billed["db"]
    pid = receipt(db, billed["receivable"], 698461)
    entry, version = db.execute(
        "SELECT id, version FROM billing_context.accounting_entries WHERE invoice_payment_id = %s",
        (pid,),
    ).fetchone()
    rid = db.execute(
        "SELECT billing_context.reverse_journal_entry(%s, %s, '誤入金')", (entry, version)
    ).fetchone()[0]
    db.execute("SET CONSTRAINTS ALL IMMEDIATE")
    lines = db.execute(
        "SELECT side, account_name, amount FROM billing_context.accounting_entry_lines"
        " WHERE accounting_entry_id = %s ORDER BY line_no",
        (rid,),
    ).fetchall()
    original = db.execute(
        "SELECT status FROM billing_context.accounting_entries WHERE id = %s", (entry,)
    ).fetchone()[0]
    assert lines == [("CREDIT", "普通預金", 698461), ("DEBIT", "売掛金", 698461)]
    assert original == "REVERSED"


def test_reversing_an_entry_twice_posts_one_reversal(billed: dict[str, Any]) -> None:
    db = billed["db"]
    entry, version = db.execute(
        "SELECT id, version FROM billing_context.accounting_entries"
        " WHERE event_type = 'INVOICE_ISSUED' AND invoice_id = %s",
        (billed["receivable"]["id"],),
    ).fetchone()
    first = db.execute(
        "SELECT billing_context.reverse_journal_entry(%s, %s, '金額誤り')", (entry, version)
    ).fetchone()[0]
    again = db.execute(
        "SELECT billing_context.reverse_journal_entry(%s, %s, '金額誤り')", (entry, version + 1)
    ).fetchone()[0]
    count = db.execute(
        "SELECT count(*) FROM billing_context.accounting_entries WHERE reversal_of_id = %s",
        (entry,),
    ).fetchone()[0]
    assert (again, count) == (first, 1)
