"""change_history: monthly partitions ahead, retention by dropping whole partitions."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

pytestmark = pytest.mark.commits


def _partitions(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("""
        SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'zengin.change_history'::regclass ORDER BY 1""")]


def _month(year: int, month: int) -> str:
    return f"change_history_{year:04d}{month:02d}"


def test_partitions_are_created_ahead_idempotently(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        created = [r[0] for r in conn.execute(
            "SELECT zengin.create_change_history_partitions(6)")]
        assert len(created) == 4  # the migration made this month and the next two
        again = conn.execute("SELECT zengin.create_change_history_partitions(6)").fetchall()
        assert again == []
        assert len(_partitions(conn)) == 7


def test_retention_drops_exactly_partitions_older_than_a_year(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("SELECT zengin.create_change_history_partitions(0, '2025-01-01')")
        now = "2026-03-15 12:00:00+00"
        cutoff = date(2025, 3, 15)
        before = _partitions(conn)
        dropped = [r[0] for r in conn.execute(
            "SELECT zengin.enforce_change_history_retention(interval '1 year', %s)", (now,))]
        expected = [p for p in before
                    if date(int(p[15:19]), int(p[19:21]), 1) < date(cutoff.year, cutoff.month, 1)]
        # Jan and Feb 2025 end before 2025-03-15; March 2025 still holds rows within the year.
        assert dropped == expected == [_month(2025, 1), _month(2025, 2)]
        assert _partitions(conn) == [p for p in before if p not in dropped]


def test_history_rows_survive_in_kept_partitions(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO zengin.banks (bank_code, name, kana)"
                     " VALUES ('0999', '試験', 'シケン')")
        conn.execute("SELECT zengin.enforce_change_history_retention()")
        rows = conn.execute("SELECT operation, diff_id FROM zengin.get_record_history('0999')")
        assert rows.fetchall() == [("INSERT", None)]


def test_maintenance_creates_ahead_and_drops_old(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("SELECT zengin.create_change_history_partitions(0, '2020-01-01')")
        summary = conn.execute("SELECT zengin.run_maintenance(4)").fetchone()[0]
        assert len(summary["partitionsCreated"]) == 2
        assert _month(2020, 1) in summary["partitionsDropped"]
        assert summary["diffsExpired"] == 0
