"""`bbase bench load` at a tiny size: the report has every field per step, and the consistency
check at its end can fail. Not a benchmark: nothing here is timed."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from bbase_workshop.bench import load
from bbase_workshop.pooler import pgbouncer_installed
from tests.pg import PgServer

pytestmark = [
    pytest.mark.commits,
    pytest.mark.skipif(shutil.which("pgbench") is None and not Path(load.PGBENCH).exists(),
                       reason="pgbench not installed (Debian package postgresql-client-15)"),
    pytest.mark.skipif(not pgbouncer_installed(),
                       reason="PgBouncer not installed (Debian package pgbouncer)"),
]

BBASE = str(Path(sys.executable).with_name("bbase"))
DB = "bench_load_test"


@pytest.fixture(scope="module")
def bench_db(pg: PgServer, template_db: str) -> Iterator[str]:
    dsn = pg.dsn_for(pg.create_db(DB, template=template_db))
    try:
        yield dsn
    finally:
        pg.drop_db(DB)
        pg.drop_db(load.TPCB_DB)
        # The bench's logins are cluster-wide: left behind, they would be extra roles to the
        # catalog tests that run after this module (which roles may read or decrypt what).
        with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:
            for login in load.LOGIN_ROLES:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def _bench(dsn: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": dsn}
    env.pop("DATABASE_DIRECT_URL", None)
    return subprocess.run([BBASE, "bench", "load", "--database", DB, "--scale", "0.02", *args],
                          env=env, capture_output=True, text=True, timeout=240)


def test_bench_load_reports_tps_latency_errors_and_connections_for_every_step(
    bench_db: str, tmp_path: Path,
) -> None:
    out = tmp_path / "load.json"
    done = _bench(bench_db, "--clients", "2,4", "--duration", "1", "--tpcb-scale", "1",
                  "--json", str(out))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(out.read_text())
    runs = {(r["workload"], r["route"], r["clients"]): r for r in report["runs"]}
    assert set(runs) == {(w, route, n) for w in ("mix", "select-only", "tpcb-like")
                         for route in ("pooler", "direct") for n in (2, 4)} | {
        ("mix paced", "pooler", n) for n in (2, 4)}
    assert runs["mix paced", "pooler", 4]["offered_tps"] == max(
        1, round(runs["mix", "pooler", 2]["tps"] / 2))
    for key, r in runs.items():
        assert r["skipped"] is None, key
        assert r["tps"] > 0 and r["transactions"] > 0, key
        assert 0 < r["p50_ms"] <= r["p95_ms"] <= r["p99_ms"] < math.inf, key
        assert (r["failed"], r["aborted_clients"], r["errors"]) == (0, 0, []), key
        assert r["server_connections_max"] >= 1, key
        if key[1] == "pooler":
            assert 1 <= r["pool_server_max"] <= report["pool_size"] * 2, key
    assert set(runs["mix", "pooler", 4]["per_script_p95_ms"]) >= {
        "engineer_attendance", "manager_review", "sales_search"}
    assert [c["check"] for c in report["consistency"]] == [
        "unbalanced journal entries", "timesheet totals not matching their days",
        "contract months invoiced twice", "timesheets billed on two invoices"]
    assert report["consistent"] is True
    assert load.HEADING in done.stdout and "share of `pgbench -S`" in done.stdout


def test_bench_load_fails_when_a_journal_entry_does_not_balance(bench_db: str) -> None:
    with psycopg.connect(bench_db) as conn:
        conn.execute("SET LOCAL session_replication_role = replica")  # the balance check off
        entry = conn.execute(
            "INSERT INTO billing_context.accounting_entries (entry_date, fiscal_year, event_type,"
            " description, status, posted_at) VALUES (current_date, 2026, 'MANUAL',"
            " 'unbalanced on purpose', 'POSTED', now()) RETURNING id").fetchone()[0]
        conn.execute(
            "INSERT INTO billing_context.accounting_entry_lines (accounting_entry_id, line_no,"
            " side, account_code, account_name, amount) VALUES (%s, 1, 'DEBIT', '111',"
            " '普通預金', 1000)", (entry,))
    try:
        done = _bench(bench_db, "--clients", "2", "--duration", "1", "--no-baselines")
    finally:
        with psycopg.connect(bench_db) as conn:
            conn.execute("SET LOCAL session_replication_role = replica")
            conn.execute("DELETE FROM billing_context.accounting_entry_lines"
                         " WHERE accounting_entry_id = %s", (entry,))
            conn.execute("DELETE FROM billing_context.accounting_entries WHERE id = %s",
                         (entry,))
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "unbalanced journal entries 1" in done.stdout
    assert "INCONSISTENT" in done.stderr
