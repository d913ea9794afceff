"""``bbase bench ses``: the design document's index-backed SES queries, with a seq-scan baseline.

Runs against a scratch database on the configured server (``bbase_bench_ses``):
created, migrated and filled with ``bbase ses seed --scale N`` (default 10:
10,000 engineers, 5,000 customer contracts, five years of timesheets and
invoices) unless it already holds data of that scale (``--reseed`` forces a
new one).

For each query of the document's index list (projects by status and priority,
available engineers, engineers by skill via GIN, contracts by status and
period, timesheets for a month, unpaid invoices by due date, notifications by
status and priority) it measures, in one session and in the same run:

* **indexed**: ``--runs`` executions (parameters rotate through realistic
  values), client wall-clock time of execute + fetch, p50 and p95;
* **baseline**: the same statements with ``enable_indexscan``,
  ``enable_indexonlyscan`` and ``enable_bitmapscan`` off (sequential scans;
  partition pruning stays on), ``--baseline-runs`` executions; for the
  partitioned tables also with ``enable_partition_pruning`` off (every
  partition scanned sequentially: the unpartitioned, unindexed starting point).

and records an EXPLAIN (ANALYZE) summary of the indexed plan: the indexes used
and how many partitions were scanned out of how many exist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from dataclasses import asdict, dataclass
from itertools import cycle
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bbase import migrate as mig
from bbase_workshop import seed as ses_seed
from bbase_workshop.pgcluster import workshop_dsn

BENCH_DB = "bbase_bench_ses"
TARGET_P95_MS = 5.0
BASELINE_OFF = ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan")


@dataclass(frozen=True)
class Query:
    name: str
    table: str
    text: str
    params: list[tuple]


def queries(conn: psycopg.Connection) -> list[Query]:
    """The document's index-backed queries, with parameters taken from the data."""
    months = conn.execute(
        "SELECT DISTINCT period_year, period_month FROM timesheet_context.timesheets "
        "ORDER BY 1 DESC, 2 DESC LIMIT 24").fetchall()
    today = conn.execute("SELECT current_date").fetchone()[0]
    quarters = [(today.replace(day=1) - dt.timedelta(days=91 * q)) for q in range(1, 13)]
    skills = ["Go", "Python", "AWS", "Kubernetes", "COBOL", "React", "PostgreSQL", "金融業務"]
    return [
        Query("projects by status and priority", "project_context.projects",
              "SELECT id, project_code, name, start_date FROM project_context.projects "
              "WHERE status = %s AND priority = %s AND deleted_at IS NULL",
              [(s, p) for s in ("OPEN", "ACTIVE", "PROPOSING", "ORDERED") for p in range(1, 6)]),
        Query("available engineers", "engineer_context.engineers",
              "SELECT id, engineer_code, last_name_encrypted, first_name_encrypted, "
              "desired_unit_price "
              "FROM engineer_context.engineers "
              "WHERE availability_status = %s AND deleted_at IS NULL LIMIT 100",
              [("AVAILABLE_SOON",), ("AVAILABLE",), ("ON_LEAVE",)]),
        Query("engineers by skill (GIN)", "engineer_context.engineers",
              "SELECT id, engineer_code, last_name_encrypted, first_name_encrypted "
              "FROM engineer_context.engineers "
              "WHERE skills @> %s::jsonb AND deleted_at IS NULL LIMIT 100",
              [(json.dumps([{"name": a}, {"name": b}]),)
               for a, b in zip(skills, skills[1:] + skills[:1], strict=True)]),
        Query("contracts by status and period", "contract_context.contracts",
              "SELECT id, contract_number, engineer_id, monthly_unit_price "
              "FROM contract_context.contracts WHERE status = %s "
              "AND start_date >= %s AND start_date < %s AND deleted_at IS NULL",
              [(s, q, q + dt.timedelta(days=91))
               for s in ("ACTIVE", "COMPLETED") for q in quarters]),
        Query("timesheets for a month", "timesheet_context.timesheets",
              "SELECT id, contract_id, engineer_id, billable_hours "
              "FROM timesheet_context.timesheets "
              "WHERE period_year = %s AND period_month = %s AND status = %s AND deleted_at IS NULL",
              [(y, m, s) for (y, m) in months for s in ("CLOSED", "SUBMITTED", "APPROVED")]),
        Query("unpaid invoices by due date", "billing_context.invoices",
              "SELECT id, invoice_number, due_date, total_amount - paid_amount "
              "FROM billing_context.invoices WHERE status = %s AND due_date < %s "
              "AND deleted_at IS NULL ORDER BY due_date LIMIT 100",
              [(s, today + dt.timedelta(days=d)) for s in ("UNPAID", "OVERDUE", "PARTIALLY_PAID")
               for d in (0, 30)]),
        Query("notifications by status and priority", "notification_context.notifications",
              "SELECT id, title, priority_level, created_at "
              "FROM notification_context.notifications "
              "WHERE status = %s AND priority_level >= %s AND deleted_at IS NULL "
              "AND created_at >= now() - interval '30 days' "
              "ORDER BY priority_level DESC LIMIT 50",
              [(s, p) for s in ("PENDING", "FAILED", "SENT", "QUEUED") for p in (1, 3, 4)]),
    ]


@dataclass
class Result:
    name: str
    rows: float
    p50_ms: float
    p95_ms: float
    baseline_p50_ms: float
    baseline_p95_ms: float
    plan: str
    uses_index: bool
    partitions_scanned: int | None = None
    partitions_total: int | None = None
    baseline_plan: str = ""
    unpruned_p50_ms: float | None = None
    unpruned_p95_ms: float | None = None

    @property
    def speedup(self) -> float:
        return self.baseline_p50_ms / self.p50_ms if self.p50_ms else float("nan")


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _time(conn: psycopg.Connection, q: Query, runs: int) -> tuple[list[float], float]:
    params = cycle(q.params)
    for _ in range(min(5, runs)):  # warm-up: caches and psycopg's prepared statement
        conn.execute(q.text, next(params)).fetchall()  # type: ignore[arg-type]
    samples: list[float] = []
    rows = 0
    for _ in range(runs):
        p = next(params)
        started = time.perf_counter()
        rows += len(conn.execute(q.text, p).fetchall())  # type: ignore[arg-type]
        samples.append((time.perf_counter() - started) * 1000)
    return samples, rows / runs


def _walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def explain(conn: psycopg.Connection, q: Query) -> tuple[str, bool, int | None, int | None]:
    """A one-line plan summary, whether an index is used, partitions scanned/total."""
    stmt = "EXPLAIN (ANALYZE, FORMAT JSON) " + q.text
    plan = conn.execute(stmt, q.params[0]).fetchone()[0][0]["Plan"]  # type: ignore[arg-type]
    nodes = list(_walk(plan))
    scans = [n for n in nodes if "Relation Name" in n or "Index Name" in n]
    parts: list[str] = []
    for n in scans:
        if "Index Name" in n:
            where = f" on {n['Relation Name']}" if "Relation Name" in n else ""
            parts.append(f"{n['Node Type']} using {n['Index Name']}{where}")
        else:
            parts.append(f"{n['Node Type']} on {n['Relation Name']}")
    uses_index = any("Index Name" in n for n in nodes)
    total = conn.execute(
        "SELECT count(*) FROM pg_inherits WHERE inhparent = %s::regclass", (q.table,)
    ).fetchone()[0]
    base = q.table.split(".")[1]
    relations = {n["Relation Name"] for n in nodes if "Relation Name" in n}
    scanned = len(relations - {base}) if total else None
    removed = sum(n.get("Subplans Removed", 0) for n in nodes)
    summary = "; ".join(dict.fromkeys(parts))
    if len(summary) > 240:
        summary = summary[:237] + "..."
    if removed:
        summary += f" (run-time pruning removed {removed})"
    return summary, uses_index, scanned, total or None


def _baseline_plan(conn: psycopg.Connection, q: Query) -> str:
    stmt = "EXPLAIN (FORMAT JSON) " + q.text
    plan = conn.execute(stmt, q.params[0]).fetchone()[0][0]["Plan"]  # type: ignore[arg-type]
    kinds = [n["Node Type"] for n in _walk(plan) if "Relation Name" in n]
    return f"{len(kinds)} x {kinds[0]}" if kinds else plan["Node Type"]


def run(conn: psycopg.Connection, runs: int, baseline_runs: int) -> list[Result]:
    results: list[Result] = []
    for q in queries(conn):
        for setting in BASELINE_OFF:
            conn.execute(sql.SQL("RESET {}").format(sql.Identifier(setting)))
        plan, uses_index, scanned, total = explain(conn, q)
        samples, rows = _time(conn, q, runs)
        for setting in BASELINE_OFF:
            conn.execute(sql.SQL("SET {} = off").format(sql.Identifier(setting)))
        base_plan = _baseline_plan(conn, q)
        base, _ = _time(conn, q, baseline_runs)
        unpruned: list[float] = []
        if total:  # the design document's unpartitioned starting point: no pruning either
            conn.execute("SET enable_partition_pruning = off")
            unpruned, _ = _time(conn, q, baseline_runs)
            conn.execute("RESET enable_partition_pruning")
        for setting in BASELINE_OFF:
            conn.execute(sql.SQL("RESET {}").format(sql.Identifier(setting)))
        results.append(Result(
            name=q.name, rows=rows,
            p50_ms=statistics.median(samples), p95_ms=_percentile(samples, 0.95),
            baseline_p50_ms=statistics.median(base), baseline_p95_ms=_percentile(base, 0.95),
            plan=plan, uses_index=uses_index, partitions_scanned=scanned,
            partitions_total=total, baseline_plan=base_plan,
            unpruned_p50_ms=statistics.median(unpruned) if unpruned else None,
            unpruned_p95_ms=_percentile(unpruned, 0.95) if unpruned else None))
    return results


def data_shape(conn: psycopg.Connection) -> dict[str, int]:
    row = conn.execute("""
        SELECT (SELECT count(*) FROM engineer_context.engineers),
               (SELECT count(*) FROM contract_context.contracts WHERE contract_side = 'CUSTOMER'),
               (SELECT count(*) FROM contract_context.contracts),
               (SELECT count(*) FROM timesheet_context.timesheets),
               (SELECT count(DISTINCT (period_year, period_month))
                FROM timesheet_context.timesheets),
               (SELECT count(*) FROM timesheet_context.daily_attendances),
               (SELECT count(*) FROM billing_context.invoices),
               (SELECT count(DISTINCT (invoice_year, invoice_month)) FROM billing_context.invoices),
               (SELECT count(*) FROM notification_context.notifications),
               (SELECT count(*) FROM project_context.projects)
    """).fetchone()
    keys = ("engineers", "customer_contracts", "contracts", "timesheets", "timesheet_months",
            "daily_attendances", "invoices", "invoice_months", "notifications", "projects")
    return dict(zip(keys, row, strict=True))


def prepare_database(dsn: str, scale: float, reseed: bool, seed: bool = True) -> str:
    parts = urlsplit(dsn)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (BENCH_DB,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    bench_dsn = urlunsplit(parts._replace(path="/" + BENCH_DB))
    applied, _ = mig.migrate(bench_dsn)
    if applied:
        print(f"bench ses: migrated {BENCH_DB} ({len(applied)} migrations)")
    if not seed:
        return bench_dsn
    with psycopg.connect(bench_dsn) as conn:
        have = conn.execute("SELECT count(*) FROM engineer_context.engineers").fetchone()[0]
        want = ses_seed.Sizes.for_scale(scale, 5).engineers
        if reseed or have != want:
            print(f"bench ses: seeding {BENCH_DB} at scale {scale} (a few minutes)")
            started = time.monotonic()
            ses_seed.seed(conn, scale=scale, years=5, replace=True,
                          progress=lambda m: print(m, flush=True))
            print(f"bench ses: seeded in {time.monotonic() - started:.0f} s")
    with psycopg.connect(bench_dsn, autocommit=True) as conn:
        if reseed or have != want:
            ses_seed.vacuum_analyze(conn)
        else:
            print(f"bench ses: reusing {BENCH_DB} ({have:,} engineers)")
    return bench_dsn


def cmd_bench(args: argparse.Namespace) -> int:
    from bbase_workshop.bench import ses_crypto

    if args.crypto_only:  # encryption section only: the schema, no data
        bench_dsn = prepare_database(workshop_dsn(), args.scale, reseed=False, seed=False)
        ses_crypto.run_section(bench_dsn, args.crypto_rows, args.crypto_runs,
                               args.crypto_write_docs)
        return 0
    bench_dsn = prepare_database(workshop_dsn(), args.scale, args.reseed)
    with psycopg.connect(bench_dsn, autocommit=True) as conn:
        conn.execute("SET jit = off")  # short queries; JIT only adds noise
        shape = data_shape(conn)
        server = conn.execute("SHOW server_version").fetchone()[0]
        results = run(conn, args.runs, args.baseline_runs)
    print(f"\nbench ses: PostgreSQL {server}, {dt.date.today()}, "
          f"{args.runs} runs (baseline {args.baseline_runs})")
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in shape.items()))
    print(f"{'query':<38} {'rows':>6} {'p50 ms':>7} {'p95 ms':>7} {'seq p50':>8} {'seq p95':>8} "
          f"{'x p50':>6} {'unpruned seq p50':>17}")
    failed = False
    for r in results:
        unpruned = f"{r.unpruned_p50_ms:>17.2f}" if r.unpruned_p50_ms is not None else f"{'-':>17}"
        print(f"{r.name:<38} {r.rows:>6.0f} {r.p50_ms:>7.2f} {r.p95_ms:>7.2f} "
              f"{r.baseline_p50_ms:>8.2f} {r.baseline_p95_ms:>8.2f} {r.speedup:>6.1f} {unpruned}")
    print()
    for r in results:
        parts = (f", partitions scanned {r.partitions_scanned} of {r.partitions_total}"
                 if r.partitions_total else "")
        print(f"{r.name}: {r.plan}{parts}\n    baseline: {r.baseline_plan}")
        if not r.uses_index or r.p95_ms >= TARGET_P95_MS:
            failed = True
    verdict = "every query" if not failed else "NOT every query"
    print(f"\n{verdict} uses an index with p95 < {TARGET_P95_MS} ms\n")
    ses_crypto.run_section(bench_dsn, args.crypto_rows, args.crypto_runs, args.crypto_write_docs)
    if args.json:
        args.json.write_text(json.dumps({
            "date": dt.date.today().isoformat(), "server": server, "runs": args.runs,
            "baseline_runs": args.baseline_runs, "data": shape,
            "results": [asdict(r) | {"speedup": r.speedup} for r in results]},
            ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if not failed else 1
