"""Zengin master changes reaching SES payee accounts, on real data: bank 0010 (りそな)
as two zengin-code releases have it (20250629, 20260824); the later one closes a
branch. The reviewer sees the impact before execution; execution invalidates exactly
the accounts on that branch, naming the diff."""

from __future__ import annotations

import dataclasses
import uuid

import psycopg
import pytest

from bbase import keys as ses_keys
from bbase.staging import read_source, stage
from bbase_workshop.snapshots import fetch_snapshot
from tests.ses.conftest import TEST_KEYS
from tests.zengin.helpers import APPROVER, CREATOR, approve

pytestmark = [pytest.mark.commits]

BANK = "0010"


def _bank_only(version: str):
    data = read_source(fetch_snapshot(version))
    return dataclasses.replace(
        data, banks=[b for b in data.banks if b[0] == BANK],
        branches=[r for r in data.branches if r[0] == BANK], orphan_bank_codes=[])


def _diff(conn: psycopg.Connection, version: str) -> list[str]:
    snapshot_id = stage(conn, _bank_only(version)).snapshot_id
    conn.execute("SELECT zengin.diff_snapshot(%s, %s)", (snapshot_id, CREATOR))
    conn.commit()
    return [r[0] for r in conn.execute(
        "SELECT id FROM zengin.diffs WHERE status = 'pending' AND snapshot_id = %s ORDER BY id",
        (snapshot_id,))]


def _execute_all(conn: psycopg.Connection, ids: list[str]) -> None:
    for diff_id in ids:
        approve(conn, diff_id, APPROVER)
    results = conn.execute("SELECT * FROM zengin.execute_approved_diffs()").fetchall()
    conn.commit()
    assert {r[1] for r in results} == {"completed"}, results[:3]


def _account(conn: psycopg.Connection, branch: str) -> uuid.UUID:
    return conn.execute(
        "INSERT INTO billing_context.payee_accounts (owner_type, partner_company_id, bank_code,"
        " branch_code, account_type, account_number_encrypted, account_holder_kana_encrypted)"
        " VALUES ('PARTNER_COMPANY', %s, %s, %s, 1,"
        " ses_common.encrypt_personal_data('payee_account', '1234567'),"
        " ses_common.encrypt_personal_data('payee_account', 'ﾔﾏﾀﾞ ﾀﾛｳ')) RETURNING id",
        (uuid.uuid4(), BANK, branch)).fetchone()[0]


def _payable(conn: psycopg.Connection, account: uuid.UUID, amount: int) -> None:
    conn.execute("SELECT ses_common.create_partitions('billing_context.invoices'::regclass,"
                 " '2026-01-01', '2026-01-01')")
    conn.execute(
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
        " direction, customer_id, payee_account_id, issuer_name, recipient_name,"
        " service_period_start, service_period_end, issue_date, due_date, status,"
        " subtotal_amount, tax_amount, total_amount) VALUES (2026, 1, %s, 'PAYABLE', %s, %s,"
        " 'partner', 'us', '2026-01-01', '2026-01-31', '2026-02-01', '2026-02-27', 'UNPAID',"
        " %s, 0, %s)", (f"P-{uuid.uuid4().hex[:10]}", uuid.uuid4(), account, amount, amount))


@pytest.fixture
def closing(fresh_dsn: str):
    """Bank 0010 loaded from 20250629; accounts on the branch 20260824 closes (two, one
    with open payables) and on a branch that stays; 20260824's diffs pending."""
    first = read_source(fetch_snapshot("20250629"))
    second = read_source(fetch_snapshot("20260824"))
    kept = {(r[0], r[1]) for r in second.branches}
    closed = sorted(r[1] for r in first.branches if r[0] == BANK and (r[0], r[1]) not in kept)
    assert closed, "the two releases close no branch of bank 0010"
    staying = next(r[1] for r in first.branches if r[0] == BANK and (r[0], r[1]) in kept)
    with psycopg.connect(fresh_dsn) as conn:
        _execute_all(conn, _diff(conn, "20250629"))
        ses_keys.load_keys(conn, TEST_KEYS)
        on_closed = [_account(conn, closed[0]), _account(conn, closed[0])]
        on_staying = _account(conn, staying)
        _payable(conn, on_closed[0], 330000)
        _payable(conn, on_closed[0], 55000)
        _payable(conn, on_staying, 999999)
        conn.commit()
        pending = _diff(conn, "20260824")
        yield conn, pending, closed[0], on_closed, on_staying


def test_the_impact_counts_the_accounts_and_payables_before_execution(closing) -> None:
    conn, pending, _branch, on_closed, _on_staying = closing
    impacts = [conn.execute("SELECT * FROM zengin.diff_impact(%s)", (d,)).fetchone()
               for d in pending]
    assert sum(i[1] for i in impacts) == len(on_closed) == 2
    assert sum(i[2] for i in impacts) == 330000 + 55000
    assert all(i[0] for i in impacts)
    status = {r[0] for r in conn.execute("SELECT status FROM billing_context.payee_accounts")}
    assert status == {"ACTIVE"}  # nothing changed before execution


def test_executing_the_release_invalidates_exactly_the_accounts_on_the_closed_branch(
    closing,
) -> None:
    conn, pending, branch, on_closed, on_staying = closing
    _execute_all(conn, pending)
    rows = dict(conn.execute("SELECT id, status FROM billing_context.payee_accounts").fetchall())
    assert rows == {on_closed[0]: "INVALID", on_closed[1]: "INVALID", on_staying: "ACTIVE"}


def test_the_reason_names_the_diff_that_deleted_the_branch(closing) -> None:
    conn, pending, branch, on_closed, _on_staying = closing
    _execute_all(conn, pending)
    deleting = conn.execute(
        "SELECT diff_id FROM zengin.diff_items WHERE diff_id = ANY(%s) AND target = 'branch'"
        " AND diff_type = 'deletion' AND bank_code = %s AND branch_code = %s",
        (pending, BANK, branch)).fetchone()[0]
    reasons = {r[0] for r in conn.execute(
        "SELECT invalid_reason FROM billing_context.payee_accounts WHERE id = ANY(%s)",
        (on_closed,))}
    assert len(reasons) == 1
    reason = reasons.pop()
    assert reason.startswith(f"diff {deleting}: Zengin master branch {BANK}-{branch} (")
    assert reason.endswith(") deleted")
