"""The monitoring views (schema ses_monitoring) run on PostgreSQL 15, idle or busy."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

pytestmark = pytest.mark.commits

VIEWS = ("long_running_queries", "index_usage_stats", "performance_metrics",
         "connection_activity", "table_cache_hits")


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


def test_connection_activity_shows_a_second_connection_holding_a_transaction_open(
    fresh_dsn: str,
) -> None:
    holder = psycopg.connect(fresh_dsn, application_name="bbase-test-holder")
    try:
        holder.execute("SELECT 1")  # opens a transaction (autocommit off) and leaves it open
        time.sleep(0.2)
        with psycopg.connect(fresh_dsn, autocommit=True) as conn:
            rows = _poll(conn, "SELECT state, connections, oldest_transaction_seconds "
                               "FROM ses_monitoring.connection_activity "
                               "WHERE application_name = 'bbase-test-holder'")
            holder.commit()
            conn.execute("SELECT pg_stat_clear_snapshot()")
            after = conn.execute("SELECT state FROM ses_monitoring.connection_activity "
                                 "WHERE application_name = 'bbase-test-holder'").fetchall()
    finally:
        holder.close()
    assert rows == [("idle in transaction", 1, rows[0][2])]
    assert rows[0][2] >= 0.2
    assert after == [("idle",)]


def test_connection_activity_counts_connections_waiting_on_a_lock(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as setup:
        setup.execute("CREATE TABLE public.lock_target (id integer PRIMARY KEY)")
        setup.execute("INSERT INTO public.lock_target VALUES (1)")
    holder = psycopg.connect(fresh_dsn)
    waiter = psycopg.connect(fresh_dsn, application_name="bbase-test-waiter")
    holder.execute("UPDATE public.lock_target SET id = 1 WHERE id = 1")
    thread = threading.Thread(
        target=lambda: waiter.execute("UPDATE public.lock_target SET id = 1 WHERE id = 1"))
    thread.start()
    try:
        with psycopg.connect(fresh_dsn, autocommit=True) as conn:
            rows = _poll(conn, "SELECT state, waiting_on_lock"
                               " FROM ses_monitoring.connection_activity"
                               " WHERE application_name = 'bbase-test-waiter'"
                               " AND waiting_on_lock > 0")
    finally:
        holder.rollback()
        thread.join()
        waiter.rollback()
        holder.close()
        waiter.close()
    assert rows == [("active", 1)]


def test_table_cache_hits_sums_partitions_into_their_partitioned_table(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.cache_probe (m integer, v text) PARTITION BY LIST (m)")
        for m in (1, 2, 3):
            conn.execute(f"CREATE TABLE public.cache_probe_{m} PARTITION OF public.cache_probe"
                         f" FOR VALUES IN ({m})")
        conn.execute("INSERT INTO public.cache_probe SELECT g % 3 + 1, repeat('x', 200)"
                     " FROM generate_series(1, 3000) AS g")
        for _ in range(3):
            conn.execute("SELECT count(*) FROM public.cache_probe").fetchone()
        conn.execute("SELECT pg_stat_force_next_flush()")
        rows = _poll(conn, "SELECT table_name, partitions, heap_blocks_hit + heap_blocks_read,"
                           " heap_hit_ratio FROM ses_monitoring.table_cache_hits"
                           " WHERE schemaname = 'public' AND table_name LIKE 'cache_probe%%'"
                           " AND heap_blocks_hit > 0")
        blocks = conn.execute("SELECT sum(pg_relation_size(c.oid)"
                              " / current_setting('block_size')::integer)"
                              " FROM pg_class AS c WHERE c.relname LIKE 'cache_probe_%%'"
                              ).fetchone()[0]
    assert len(rows) == 1, rows
    name, partitions, touched, ratio = rows[0]
    assert (name, partitions) == ("cache_probe", 3)
    assert touched >= 3 * blocks, "three full scans of every partition are counted"
    assert 0 < ratio <= 100


def test_performance_metrics_reads_this_database_alone(db: psycopg.Connection) -> None:
    """One row per metric: the database counters come from this database's statistics row,
    not from the other databases of the cluster (there are always postgres and template1)."""
    repeated = db.execute(
        "SELECT metric_name FROM ses_monitoring.performance_metrics"
        " GROUP BY metric_name HAVING count(*) > 1").fetchall()
    others = db.execute(
        "SELECT count(*) FROM pg_stat_database"
        " WHERE datname IS NOT NULL AND datname <> current_database()").fetchone()[0]
    assert (repeated, others >= 1) == ([], True)
