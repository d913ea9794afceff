"""Double-entry journals: a posted entry balances at commit (deferred constraint triggers)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.types.json import Jsonb

pytestmark = pytest.mark.commits

ENTRY = (
    "INSERT INTO billing_context.accounting_entries (entry_date, fiscal_year, event_type, "
    "description, status, posted_at) VALUES ('2025-06-30', 2025, 'MANUAL', 'test', %s, "
    "CASE WHEN %s = 'DRAFT' THEN NULL ELSE now() END) RETURNING id"
)
LINE = (
    "INSERT INTO billing_context.accounting_entry_lines (accounting_entry_id, line_no, side, "
    "account_code, account_name, amount) VALUES (%s, %s, %s, 'x', 'x', %s)"
)


def _entry(conn: psycopg.Connection, status: str, lines: list[tuple[str, int]]) -> uuid.UUID:
    entry = conn.execute(ENTRY, (status, status)).fetchone()[0]
    for n, (side, amount) in enumerate(lines, start=1):
        conn.execute(LINE, (entry, n, side, amount))
    return entry


def test_balanced_entry_written_line_by_line_commits(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        _entry(conn, "POSTED", [("DEBIT", 698461), ("CREDIT", 634965), ("CREDIT", 63496)])
        conn.commit()


def test_unbalanced_posted_entry_fails_at_commit_with_se006(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        _entry(conn, "POSTED", [("DEBIT", 698461), ("CREDIT", 634965)])
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
    assert exc.value.sqlstate == "SE006"


def test_posted_entry_without_lines_fails_with_se006(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        _entry(conn, "POSTED", [])
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
    assert exc.value.sqlstate == "SE006"


def test_draft_entry_may_be_unbalanced_until_posted(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        entry = _entry(conn, "DRAFT", [("DEBIT", 100)])
        conn.commit()
        conn.execute("UPDATE billing_context.accounting_entries SET status = 'POSTED', "
                     "posted_at = now() WHERE id = %s", (entry,))
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
    assert exc.value.sqlstate == "SE006"


def test_changing_a_line_of_an_earlier_posted_entry_is_checked(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        entry = _entry(conn, "POSTED", [("DEBIT", 100), ("CREDIT", 100)])
        conn.commit()
        conn.execute("UPDATE billing_context.accounting_entry_lines SET amount = 90 "
                     "WHERE accounting_entry_id = %s AND side = 'CREDIT'", (entry,))
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
        assert exc.value.sqlstate == "SE006"
        conn.execute(LINE, (entry, 3, "CREDIT", 5))
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
        assert exc.value.sqlstate == "SE006"


def test_a_posted_entry_keeps_every_attribute_it_was_given(db: psycopg.Connection) -> None:
    """billing_context.post_journal_entry passes each argument on to the entry it posts (the
    references' targets are not made here: foreign keys are off for this one statement)."""
    invoice, payment, contract, original = (uuid.uuid4() for _ in range(4))
    lines = [{"side": "DEBIT", "account": "普通預金", "amount": 100},
             {"side": "CREDIT", "account": "売掛金", "amount": 100}]
    db.execute("SET LOCAL session_replication_role = replica")
    entry = db.execute(
        "SELECT billing_context.post_journal_entry('REVERSAL', '2026-11-30', 'test entry', %s,"
        " %s, 2026::smallint, %s, %s, %s)",
        (Jsonb(lines), invoice, payment, contract, original)).fetchone()[0]
    db.execute("SET LOCAL session_replication_role = origin")
    row = db.execute(
        "SELECT event_type, entry_date::text, description, invoice_id, invoice_year,"
        " invoice_payment_id, contract_id, reversal_of_id"
        " FROM billing_context.accounting_entries WHERE id = %s", (entry,)).fetchone()
    assert row == ("REVERSAL", "2026-11-30", "test entry", invoice, 2026, payment, contract,
                   original)
