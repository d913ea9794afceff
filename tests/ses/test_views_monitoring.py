"""The monitoring views (schema ses_monitoring) run on PostgreSQL 15, idle or busy."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

pytestmark = pytest.mark.commits

VIEWS = ("long_running_queries", "index_usage_stats", "performance_metrics")


def _poll(conn: psycopg.Connection, query: str, params: tuple = (), timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        rows = conn.execute(query, params).fetchall()
        if rows or time.monotonic() > deadline:
            return rows
        conn.execute("SELECT pg_stat_clear_snapshot()")
        time.sleep(0.1)


def test_monitoring_views_answer_on_an_idle_database_without_division_by_zero(
    fresh_dsn: str,
) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_reset()")
        conn.execute("SELECT pg_stat_clear_snapshot()")
        for view in VIEWS:
            conn.execute(f"SELECT * FROM ses_monitoring.{view}").fetchall()
        metrics = dict(conn.execute(
            "SELECT metric_name, metric_value FROM ses_monitoring.performance_metrics"
        ).fetchall())
    assert metrics["Cache Hit Ratio"] == "n/a"
    assert metrics["Index Cache Hit Ratio"] == "n/a"
    assert {"Database Size", "Active Connections", "Commit Ratio"} <= metrics.keys()


def test_long_running_queries_lists_a_statement_running_past_the_threshold(
    fresh_dsn: str,
) -> None:
    sleeper = psycopg.connect(fresh_dsn, autocommit=True)
    sleeper_pid = sleeper.info.backend_pid
    thread = threading.Thread(target=lambda: sleeper.execute("SELECT pg_sleep(3)"))
    thread.start()
    try:
        with psycopg.connect(fresh_dsn, autocommit=True) as conn:
            conn.execute("SET ses_monitoring.long_query_threshold = '300ms'")
            rows = _poll(conn, "SELECT pid, state, duration, query "
                               "FROM ses_monitoring.long_running_queries WHERE pid = %s",
                         (sleeper_pid,))
    finally:
        thread.join()
        sleeper.close()
    assert len(rows) == 1
    pid, state, duration, query = rows[0]
    assert state == "active" and "pg_sleep" in query
    assert duration.total_seconds() >= 0.3


def test_long_running_queries_default_threshold_hides_short_statements(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        rows = conn.execute("SELECT * FROM ses_monitoring.long_running_queries").fetchall()
    assert rows == []


def test_index_usage_stats_counts_scans_on_a_busy_database(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        for _ in range(5):
            conn.execute("SELECT * FROM bbase.replaceable_objects WHERE path = 'x'").fetchall()
        conn.execute("SELECT pg_stat_force_next_flush()")
        rows = _poll(conn, "SELECT idx_scan, efficiency_rate FROM ses_monitoring.index_usage_stats "
                           "WHERE schemaname = 'bbase' AND index_name = 'replaceable_objects_pkey' "
                           "AND idx_scan >= 5")
        metrics = dict(conn.execute(
            "SELECT metric_name, metric_numeric FROM ses_monitoring.performance_metrics"
        ).fetchall())
    assert rows, "the primary-key scans show up in index_usage_stats"
    assert metrics["Database Size"] > 0
    assert metrics["Index Cache Hit Ratio"] is not None
