"""change_history: monthly partitions ahead, retention by dropping whole partitions.

No argument of the maintenance functions can drop history younger than a year
or flood the catalog with partitions: out-of-range values are refused with
ZG017 naming the argument and the value.
"""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from psycopg import sql

pytestmark = pytest.mark.commits


def _partitions(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("""
        SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'zengin.change_history'::regclass ORDER BY 1""")]


def _month(year: int, month: int) -> str:
    return f"change_history_{year:04d}{month:02d}"


def _old_partition(conn: psycopg.Connection, year: int, month: int) -> None:
    """A partition left from long ago (the functions no longer make any before the
    retention window), made by hand as the owner."""
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    conn.execute(sql.SQL(
        "CREATE TABLE zengin.{} PARTITION OF zengin.change_history"
        " FOR VALUES FROM ({}) TO ({})").format(
            sql.Identifier(_month(year, month)),
            sql.Literal(f"{start} 00:00:00+00"), sql.Literal(f"{end} 00:00:00+00")))


def _refused(conn: psycopg.Connection, query: str, params: tuple = ()) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as exc:
        conn.execute(query, params)
    return exc.value


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
        for month in range(1, 13):
            _old_partition(conn, 2025, month)
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
        _old_partition(conn, 2020, 1)
        summary = conn.execute("SELECT zengin.run_maintenance(4)").fetchone()[0]
        assert len(summary["partitionsCreated"]) == 2
        assert _month(2020, 1) in summary["partitionsDropped"]
        # diffsExpired: tests/zengin/test_mutation_survivors.py, on a database with diffs.


def test_retention_at_exactly_one_year_drops_only_partitions_wholly_older(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        _old_partition(conn, 2025, 2)
        _old_partition(conn, 2025, 3)
        # One microsecond short of a year after February 2025 ended: it is kept.
        kept = conn.execute("SELECT zengin.enforce_change_history_retention("
                            "interval '1 year', '2026-02-28 23:59:59.999999+00')").fetchall()
        assert kept == []
        # Exactly a year after it ended: every row of it is older than a year.
        dropped = conn.execute("SELECT zengin.enforce_change_history_retention("
                               "interval '12 months', '2026-03-01 00:00:00+00')").fetchall()
        assert dropped == [(_month(2025, 2),)]
        assert _month(2025, 3) in _partitions(conn)


@pytest.mark.parametrize("keep", ["364 days", "360 days", "11 months", "0", "-1 year",
                                  "1 year -1 second", "101 years"])
def test_retention_other_than_one_to_a_hundred_years_is_refused(
    fresh_dsn: str, keep: str
) -> None:
    # '360 days' compares equal to '1 year' as an interval, yet drops five days more.
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        before = _partitions(conn)
        error = _refused(conn, "SELECT zengin.enforce_change_history_retention(%s::interval)",
                         (keep,))
        assert error.sqlstate == "ZG017"
        assert error.diag.column_name == "p_keep"
        assert error.diag.message_primary.startswith("invalid p_keep: ")
        assert _partitions(conn) == before


def test_retention_from_a_future_now_is_refused(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO zengin.banks (bank_code, name, kana)"
                     " VALUES ('0999', '試験', 'シケン')")
        before = _partitions(conn)
        for future in ("now() + interval '1 second'", "now() + interval '10 years'", "'infinity'"):
            error = _refused(conn, "SELECT zengin.enforce_change_history_retention("
                             f"interval '1 year', {future})")  # future: a literal above
            assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_now")
        assert _partitions(conn) == before
        assert conn.execute("SELECT count(*) FROM zengin.change_history"
                            " WHERE bank_code = '0999'").fetchone()[0] == 1


def test_partitions_ahead_are_bounded_at_twelve_months(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        created = conn.execute("SELECT zengin.create_change_history_partitions(12)").fetchall()
        assert len(_partitions(conn)) == 13 and len(created) == 10
        for months in (13, -1, 1200):
            error = _refused(conn, "SELECT zengin.create_change_history_partitions(%s)", (months,))
            assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_months_ahead")
            assert f"'{months}'" in error.diag.message_primary
        assert len(_partitions(conn)) == 13


def test_partitions_before_the_retention_window_are_refused(fresh_dsn: str) -> None:
    # create_change_history_partitions(1, '1900-01-01') made 1,525 partitions, and
    # the next maintenance failed with "out of shared memory".
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        before = _partitions(conn)
        error = _refused(conn, "SELECT zengin.create_change_history_partitions(1, '1900-01-01')")
        assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_from")
        assert "'1900-01-01'" in error.diag.message_primary
        assert _partitions(conn) == before
        # The earliest month allowed is the one a year back: retention keeps it.
        first = conn.execute("SELECT (date_trunc('month', now() AT TIME ZONE 'UTC')"
                             " - interval '1 year')::date").fetchone()[0]
        created = conn.execute("SELECT zengin.create_change_history_partitions(0, %s)",
                               (first,)).fetchall()
        assert len(created) == 12  # a year back up to this month, less the one the migration made
        assert conn.execute("SELECT zengin.enforce_change_history_retention()").fetchall() == []
        error = _refused(conn, "SELECT zengin.create_change_history_partitions(0, %s)",
                         (date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1),))
        assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_from")


def test_maintenance_refuses_the_arguments_its_parts_refuse(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        before = _partitions(conn)
        error = _refused(conn, "SELECT zengin.run_maintenance(13)")
        assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_months_ahead")
        error = _refused(conn, "SELECT zengin.run_maintenance(3, interval '1 month')")
        assert (error.sqlstate, error.diag.column_name) == ("ZG017", "p_keep")
        assert _partitions(conn) == before


def test_sync_role_runs_maintenance_with_its_defaults_only(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE bbase_sync")
        error = _refused(conn, "SELECT zengin.run_maintenance(12, interval '1 year')")
        assert error.sqlstate == "42501"
        result = conn.execute("SELECT zengin_sync.run_maintenance()").fetchone()[0]
        assert result["partitionsDropped"] == []
