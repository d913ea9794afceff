"""The monthly close: billing_context.close_month turns approved timesheets into invoices.

Amounts follow ses-domain-rules.md (example 1 and the journals table).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import psycopg
import pytest

from tests.ses import close_world as w

DB = psycopg.Connection


@pytest.fixture
def world(db: DB) -> DB:
    w.prepare(db)
    return db


def test_the_customer_invoice_settles_example_one_and_floors_the_tax(world: DB) -> None:
    c = w.contract(world)
    w.timesheet(world, c, "190.5")
    w.close(world)
    inv = w.invoice_of(world, c)
    assert (inv["direction"], inv["status"]) == ("RECEIVABLE", "ISSUED")
    assert (inv["subtotal_amount"], inv["tax_amount"], inv["total_amount"]) == (
        634965,
        63496,
        698461,
    )


def test_the_customer_invoice_journal_is_the_rules_first_row(world: DB) -> None:
    c = w.contract(world)
    w.timesheet(world, c, "190.5")
    w.close(world)
    assert w.journal_of(world, w.invoice_of(world, c)["id"], "INVOICE_ISSUED") == {
        ("DEBIT", "売掛金"): 698461,
        ("CREDIT", "売上高"): 634965,
        ("CREDIT", "仮受消費税"): 63496,
    }


def test_the_partner_side_is_settled_on_its_own_terms(world: DB) -> None:
    c = w.contract(world)
    p = w.contract(
        world,
        side="PARTNER",
        upstream=c,
        engineer=w.engineer_of(world, c),
        price="520000",
        settlement_method="FIXED",
        contract_terms='{"invoice_registration_no": "T9876543210987"}',
    )
    w.timesheet(world, c, "132.25")
    w.close(world)
    assert w.invoice_of(world, c)["subtotal_amount"] == 566830
    payable = w.invoice_of(world, p)
    assert (payable["direction"], payable["issuer_registration_no"]) == (
        "PAYABLE",
        "T9876543210987",
    )
    assert w.journal_of(world, payable["id"], "PAYABLE_RECORDED") == {
        ("DEBIT", "外注費"): 520000,
        ("DEBIT", "仮払消費税"): 52000,
        ("CREDIT", "買掛金"): 572000,
    }


def test_an_unregistered_partner_gives_only_70_percent_input_tax_in_2026_11(world: DB) -> None:
    c = w.contract(world)
    p = w.contract(
        world,
        side="PARTNER",
        upstream=c,
        engineer=w.engineer_of(world, c),
        price="520000",
        settlement_method="FIXED",
    )
    w.timesheet(world, c, "160")
    w.close(world)
    assert w.journal_of(world, w.invoice_of(world, p)["id"], "PAYABLE_RECORDED") == {
        ("DEBIT", "外注費"): 535600,
        ("DEBIT", "仮払消費税"): 36400,
        ("CREDIT", "買掛金"): 572000,
    }


def test_a_malformed_partner_registration_number_raises_se180_naming_it(world: DB) -> None:
    c = w.contract(world)
    w.contract(
        world,
        side="PARTNER",
        upstream=c,
        engineer=w.engineer_of(world, c),
        contract_terms='{"invoice_registration_no": "T12-bad"}',
    )
    w.timesheet(world, c, "160")
    with pytest.raises(psycopg.DatabaseError) as err:
        w.close(world)
    assert err.value.sqlstate == "SE180"
    assert "invalid contract_terms.invoice_registration_no:" in str(err.value)


def test_a_contract_starting_mid_month_is_prorated_by_weekdays(world: DB) -> None:
    # 2026-11-12 (Thu) to 11-30: 13 of November's 21 weekdays (example 3).
    c = w.contract(world, start_date="2026-11-12")
    w.timesheet(world, c, "120")
    w.close(world)
    assert w.invoice_of(world, c)["subtotal_amount"] == 401398


def test_the_invoice_carries_the_six_required_items(world: DB) -> None:
    c = w.contract(world)
    w.timesheet(world, c, "160")
    w.close(world)
    inv = w.invoice_of(world, c)
    assert (inv["issuer_name"], inv["issuer_registration_no"]) == (w.OUR_NAME, w.OUR_T)
    assert inv["service_period_end"] == dt.date(2026, 11, 30)
    assert inv["recipient_name"] == "顧客株式会社"
    items = world.execute(
        "SELECT count(*) FILTER (WHERE btrim(description) <> '')"
        " FROM billing_context.invoice_billing_items"
        " WHERE invoice_id = %s",
        (inv["id"],),
    ).fetchone()[0]
    summary = world.execute(
        "SELECT tax_rate, taxable_amount, tax_amount FROM billing_context.invoice_tax_summaries"
        " WHERE invoice_id = %s",
        (inv["id"],),
    ).fetchall()
    assert items == 1
    assert summary == [(Decimal("0.100"), 600000, 60000)]


def test_the_customer_due_date_follows_the_payment_terms(world: DB) -> None:
    c = w.contract(world, payment_month_offset=1, payment_day=31)
    w.timesheet(world, c, "160")
    w.close(world)
    assert w.invoice_of(world, c)["due_date"] == dt.date(2026, 12, 31)


def test_a_protected_partner_is_due_within_60_days_of_the_service(world: DB) -> None:
    c = w.contract(world)
    p = w.contract(
        world,
        side="PARTNER",
        upstream=c,
        engineer=w.engineer_of(world, c),
        price="500000",
        is_protected_subcontract=True,
        payment_month_offset=2,
        payment_day=31,
    )
    w.timesheet(world, c, "160")
    w.close(world)
    assert w.invoice_of(world, p)["due_date"] == dt.date(2026, 11, 30) + dt.timedelta(days=59)


def test_issuing_emits_invoice_issued_with_ids_and_amounts(world: DB) -> None:
    c = w.contract(world)
    w.timesheet(world, c, "160")
    w.close(world)
    inv = w.invoice_of(world, c)
    payload = world.execute(
        "SELECT payload FROM ses_common.event_outbox"
        " WHERE event_type = 'InvoiceIssued' AND aggregate_id = %s",
        (inv["id"],),
    ).fetchone()[0]
    assert payload["totalAmount"] == 660000
    assert payload["contractId"] == str(c)


def test_closing_the_month_closes_its_timesheets(world: DB) -> None:
    c = w.contract(world)
    t = w.timesheet(world, c, "160")
    w.close(world)
    assert (
        world.execute(
            "SELECT status FROM timesheet_context.timesheets WHERE id = %s", (t,)
        ).fetchone()[0]
        == "CLOSED"
    )


def test_the_lines_of_both_sides_name_the_timesheet_they_settle(world: DB) -> None:
    c = w.contract(world)
    w.contract(world, side="PARTNER", upstream=c, engineer=w.engineer_of(world, c), price="500000")
    t = w.timesheet(world, c, "190.5")
    w.close(world)
    named = world.execute(
        "SELECT i.direction, array_agg(DISTINCT b.timesheet_id) FROM billing_context.invoices i"
        " JOIN billing_context.invoice_billing_items b ON b.invoice_id = i.id"
        " GROUP BY i.direction ORDER BY 1").fetchall()
    assert named == [("PAYABLE", [t]), ("RECEIVABLE", [t])]


def test_a_timesheet_not_yet_approved_is_not_invoiced(world: DB) -> None:
    c = w.contract(world)
    w.timesheet(world, c, "160", status="CLIENT_APPROVED")
    assert w.close(world)["receivablesIssued"] == 0


def test_closing_a_month_twice_creates_nothing_new(world: DB) -> None:
    c = w.contract(world)
    w.contract(world, side="PARTNER", upstream=c, engineer=w.engineer_of(world, c), price="500000")
    w.timesheet(world, c, "160")
    w.close(world)
    count = "SELECT (SELECT count(*) FROM billing_context.invoices), (SELECT count(*) FROM billing_context.accounting_entries), (SELECT count(*) FROM ses_common.event_outbox)"  # noqa: E501
    before = world.execute(count).fetchone()
    second = w.close(world)
    assert (second["receivablesIssued"], second["payablesRecorded"]) == (0, 0)
    assert world.execute(count).fetchone() == before


def test_an_invoice_for_the_contract_and_month_is_not_issued_again(world: DB) -> None:
    # A timesheet put back to APPROVED after the close (the state machine forbids it, so
    # only a restore or a hand edit with triggers off can): the invoice exists, no second one.
    c = w.contract(world)
    t = w.timesheet(world, c, "160")
    w.close(world)
    world.execute("SET LOCAL session_replication_role = replica")
    world.execute("UPDATE timesheet_context.timesheets SET status = 'APPROVED' WHERE id = %s", (t,))
    world.execute("SET LOCAL session_replication_role = origin")
    assert w.close(world)["receivablesIssued"] == 0
    assert w.invoice_of(world, c)["total_amount"] == 660000


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((2026, 13, w.OUR_NAME, w.OUR_T), "p_month"),
        ((2999, 1, w.OUR_NAME, w.OUR_T), "p_year"),
        ((2199, 12, w.OUR_NAME, w.OUR_T), "p_month"),
        ((2026, 11, " ", w.OUR_T), "p_issuer_name"),
        ((2026, 11, w.OUR_NAME, "T123"), "p_issuer_registration_no"),
    ],
)
def test_bad_close_arguments_raise_se181_naming_the_argument(
    world: DB, args: tuple[object, ...], field: str
) -> None:
    with pytest.raises(psycopg.DatabaseError) as err:
        world.execute("SELECT billing_context.close_month(%s, %s, %s, %s)", args)
    assert err.value.sqlstate == "SE181"
    assert f"invalid {field}:" in str(err.value)


def test_only_finance_and_admin_may_close_a_month(world: DB) -> None:
    world.execute("SET LOCAL ROLE ses_engineer_role")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        w.close(world)


def test_finance_can_close_a_month(world: DB) -> None:
    c = w.contract(world)
    w.timesheet(world, c, "160")
    world.execute("SET LOCAL ROLE ses_finance_role")
    assert w.close(world)["receivablesIssued"] == 1


def test_tax_is_rounded_once_per_rate_not_per_line(world: DB) -> None:
    inv = world.execute(
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
        " customer_id,"
        " recipient_name) VALUES (2026, 11, 'T-105', %s, '顧客') RETURNING id",
        (w.CUSTOMER,),
    ).fetchone()[0]
    for n in (1, 2, 3):
        world.execute(
            "INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no,"
            " item_type, description, unit, unit_price, amount)"
            " VALUES (%s, 2026, %s, 'EXPENSE', '交通費', 'ITEM', 105, 105)",
            (inv, n),
        )
    tax = world.execute(
        "SELECT billing_context.summarize_invoice_tax(%s, 2026::smallint)", (inv,)
    ).fetchone()[0]
    assert tax == 31


def test_every_entry_of_a_close_balances(world: DB) -> None:
    for hours in ("190.5", "132.25", "160"):
        c = w.contract(world)
        w.contract(
            world, side="PARTNER", upstream=c, engineer=w.engineer_of(world, c), price="480000"
        )
        w.timesheet(world, c, hours)
    w.close(world)
    world.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred balance check runs now
    unbalanced = world.execute(
        """SELECT count(*) FROM (
             SELECT e.id FROM billing_context.accounting_entries e
             JOIN billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id
             GROUP BY e.id
             HAVING sum(l.amount) FILTER (WHERE l.side = 'DEBIT')
                 <> sum(l.amount) FILTER (WHERE l.side = 'CREDIT')
           ) AS u"""
    ).fetchone()[0]
    entries = world.execute("SELECT count(*) FROM billing_context.accounting_entries").fetchone()[0]
    assert (entries, unbalanced) == (6, 0)


def test_a_month_of_1000_engineers_closes_in_seconds(world: DB) -> None:
    w.bulk_month(world, 1000)
    started = time.monotonic()
    result = w.close(world)
    world.execute("SET CONSTRAINTS ALL IMMEDIATE")
    elapsed = time.monotonic() - started
    assert (result["receivablesIssued"], result["payablesRecorded"]) == (1000, 1000)
    # Measured 6-18 s with the load average at 5-13 on 2 shared cores (the per-row close
    # took 24-44 s in the same conditions); the bound catches a per-row regression such as
    # a scan per timesheet (the per-row timesheet_id reference check cost 9 ms a line), not
    # machine noise.
    assert elapsed < 60, f"close of 1000 engineers took {elapsed:.1f} s"
