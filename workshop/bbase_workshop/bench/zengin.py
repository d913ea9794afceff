"""``bbase bench zengin``: the full Zengin master through the pipeline, with baselines.

Each run starts from an empty master in a scratch database on the configured
server (``bbase_bench_zengin``, migrated from scratch) and loads zengin-code
1.1.0.<version> (default 20250629):

* **bare COPY**: the same bank and branch rows COPYed into two bare tables
  (no keys, no triggers): the floor;
* **pipeline**: stage (COPY into zengin.snapshot_*) + ``zengin.diff_snapshot``
  + approve every diff + ``zengin.execute_approved_diffs()``, each step
  committed;
* **naive**: the design document's pattern, row by row from Python, one
  transaction per row (history INSERT, upsert, COMMIT) into tables shaped like
  the design document's.

Then a single one-branch diff is approved and executed ``--small`` times
(each call committed) for its p95. Figures are medians over ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bbase import migrate as mig
from bbase.staging import SourceData, read_source, stage
from bbase_workshop.bench import DOCS, write_section
from bbase_workshop.pgcluster import LocalCluster, free_port, workshop_dsn
from bbase_workshop.snapshots import fetch_snapshot

BENCH_DB = "bbase_bench_zengin"
APPROVER = "bench-approver@example.com"
CREATOR = "bench-sync"
#: Approvals come from a reviewer's own login: the login that created a diff
#: cannot approve it (ZG021), and the bench connects as the superuser that creates.
REVIEWER_LOGIN = "bbase_bench_reviewer"

NAIVE_DDL = """
DROP SCHEMA IF EXISTS naive CASCADE;
CREATE SCHEMA naive;
CREATE TABLE naive.banks (
    bank_code char(4) PRIMARY KEY, bank_name varchar(100) NOT NULL, bank_kana varchar(100),
    created_at timestamp DEFAULT current_timestamp, updated_at timestamp DEFAULT current_timestamp);
CREATE TABLE naive.branches (
    bank_code char(4) NOT NULL REFERENCES naive.banks (bank_code), branch_code char(3) NOT NULL,
    branch_name varchar(100) NOT NULL, branch_kana varchar(100),
    created_at timestamp DEFAULT current_timestamp, updated_at timestamp DEFAULT current_timestamp,
    PRIMARY KEY (bank_code, branch_code));
CREATE TABLE naive.change_history (
    id bigserial PRIMARY KEY, diff_id text, operation_type text, table_name text, record_id text,
    old_values jsonb, new_values jsonb, executed_at timestamp);
DROP TABLE IF EXISTS public.bare_banks, public.bare_branches;
CREATE TABLE public.bare_banks (bank_code text, name text, kana text, hira text, roma text);
CREATE TABLE public.bare_branches (
    bank_code text, branch_code text, name text, kana text, hira text, roma text);
"""

RESET = """
TRUNCATE zengin.diff_items, zengin.diffs, zengin.branches, zengin.banks,
         zengin.snapshot_branches, zengin.snapshot_banks, zengin.snapshots,
         zengin.change_history, zengin.diff_day_counters;
TRUNCATE public.bare_banks, public.bare_branches;
TRUNCATE naive.change_history, naive.branches, naive.banks;
"""


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def prepare_database(dsn: str) -> str:
    """A scratch database with the product installed (the whole schema set: yoyo's
    post-apply hook replays every sql/ object, so a Zengin-only install is not possible)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    bench_dsn = urlunsplit(urlsplit(dsn)._replace(path="/" + BENCH_DB))
    mig.migrate(bench_dsn)
    with psycopg.connect(bench_dsn, autocommit=True) as conn:
        conn.execute(NAIVE_DDL)
        if conn.execute("SELECT FROM pg_roles WHERE rolname = %s",
                        (REVIEWER_LOGIN,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE bbase_reviewer").format(
                sql.Identifier(REVIEWER_LOGIN)))
    return bench_dsn


@contextmanager
def as_reviewer(conn: psycopg.Connection) -> Iterator[None]:
    """Act as the reviewer's login (session_user changes; the caller is a superuser)."""
    conn.execute(sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(REVIEWER_LOGIN)))
    try:
        yield
    finally:
        conn.execute("RESET SESSION AUTHORIZATION")


def bare_copy(conn: psycopg.Connection, data: SourceData) -> None:
    with conn.transaction(), conn.cursor() as cur:
        with cur.copy("COPY public.bare_banks FROM STDIN") as copy:
            for row in data.banks:
                copy.write_row(row)
        with cur.copy("COPY public.bare_branches FROM STDIN") as copy:
            for row in data.branches:
                copy.write_row(row)


def pipeline(conn: psycopg.Connection, data: SourceData) -> dict[str, float]:
    phases: dict[str, float] = {}
    holder: dict[str, int] = {}

    def do_stage() -> None:
        holder["snapshot"] = stage(conn, data, source="bench").snapshot_id

    def do_diff() -> None:
        conn.execute("SELECT zengin.diff_snapshot(%s, %s)", (holder["snapshot"], CREATOR))
        conn.commit()

    def do_approve() -> None:
        with as_reviewer(conn):
            conn.execute("SELECT zengin.approve_diff(id, %s) FROM zengin.diffs"
                         " WHERE status = 'pending' ORDER BY id", (APPROVER,))
        conn.commit()

    def do_execute() -> None:
        rows = conn.execute("SELECT status FROM zengin.execute_approved_diffs()").fetchall()
        conn.commit()
        if {r[0] for r in rows} != {"completed"}:
            raise RuntimeError(f"bench: not every diff completed: {rows[:5]}")

    for name, fn in (("stage", do_stage), ("diff", do_diff), ("approve", do_approve),
                     ("execute", do_execute)):
        phases[name] = _timed(fn)
    phases["pipeline"] = sum(phases.values())
    return phases


def naive(conn: psycopg.Connection, data: SourceData) -> None:
    """The design document's pattern: per row, history insert + upsert + commit."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with conn.cursor() as cur:
        for code, name, kana, _hira, _roma in data.banks:
            cur.execute(
                "INSERT INTO naive.change_history (diff_id, operation_type, table_name, record_id,"
                " old_values, new_values, executed_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                ("bench", "addition", "banks", code, None,
                 json.dumps({"bankCode": code, "bankName": name, "bankKana": kana}), now))
            cur.execute(
                "INSERT INTO naive.banks (bank_code, bank_name, bank_kana, updated_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (bank_code) DO UPDATE SET"
                " bank_name = EXCLUDED.bank_name, bank_kana = EXCLUDED.bank_kana,"
                " updated_at = EXCLUDED.updated_at", (code, name, kana, now))
            conn.commit()
        for bank, code, name, kana, _hira, _roma in data.branches:
            cur.execute(
                "INSERT INTO naive.change_history (diff_id, operation_type, table_name, record_id,"
                " old_values, new_values, executed_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                ("bench", "addition", "branches", f"{bank}-{code}", None,
                 json.dumps({"bankCode": bank, "branchCode": code, "branchName": name,
                             "branchKana": kana}), now))
            cur.execute(
                "INSERT INTO naive.branches (bank_code, branch_code, branch_name, branch_kana,"
                " updated_at) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (bank_code, branch_code)"
                " DO UPDATE SET branch_name = EXCLUDED.branch_name,"
                " branch_kana = EXCLUDED.branch_kana, updated_at = EXCLUDED.updated_at",
                (bank, code, name, kana, now))
            conn.commit()


SMALL_DIFF = """
WITH target AS (
    SELECT bank_code, branch_code, name, kana, hira, roma FROM zengin.branches
    WHERE bank_code = '0001' AND branch_code = '001'
), new AS (
    SELECT id FROM zengin.next_diff_ids(1) AS id
), d AS (
    INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, current_data, changes, created_by,
                              ttl)
    SELECT new.id, 'update', 'branch',
           jsonb_build_object('bankCode', t.bank_code, 'branchCode', t.branch_code,
                              'branchName', %(name)s::text, 'branchKana', t.kana,
                              'branchHira', t.hira, 'branchRoma', t.roma),
           jsonb_build_object('bankCode', t.bank_code, 'branchCode', t.branch_code,
                              'branchName', t.name, 'branchKana', t.kana,
                              'branchHira', t.hira, 'branchRoma', t.roma),
           jsonb_build_object('branchName',
                              jsonb_build_object('old', t.name, 'new', %(name)s::text)),
           %(creator)s::text, extract(epoch FROM now() + interval '90 days')::bigint
    FROM target t, new
    RETURNING id, zengin_data, current_data, changes
)
INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target, bank_code, branch_code,
                               zengin_data, current_data, changes)
SELECT d.id, 1, 'update', 'branch', '0001', '001', d.zengin_data, d.current_data, d.changes
FROM d
RETURNING diff_id
"""


def small_diffs(dsn: str, samples: int) -> list[float]:
    """Approve + execute one single-branch diff (each call its own transaction)."""
    timings: list[float] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for n in range(samples):
            name = "ベンチ" + ("甲" if n % 2 else "乙")
            diff_id = conn.execute(SMALL_DIFF, {"name": name, "creator": CREATOR}).fetchone()[0]
            start = time.perf_counter()
            with as_reviewer(conn):
                conn.execute("SELECT zengin.approve_diff(%s, %s)", (diff_id, APPROVER))
            rows = conn.execute("SELECT status FROM zengin.execute_approved_diffs()").fetchall()
            timings.append(time.perf_counter() - start)
            if rows != [("completed",)]:
                raise RuntimeError(f"bench: small diff {diff_id} ended {rows}")
    return timings


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(dsn: str, version: str, runs: int, naive_runs: int, small: int) -> dict:
    data = read_source(fetch_snapshot(version))
    bench_dsn = prepare_database(dsn)
    load_before = os.getloadavg()[0]
    copies: list[float] = []
    phases: list[dict[str, float]] = []
    naives: list[float] = []
    with psycopg.connect(bench_dsn) as conn:
        for i in range(max(runs, naive_runs)):
            conn.execute(RESET)
            conn.commit()
            if i < runs:
                copies.append(_timed(lambda: bare_copy(conn, data)))
                phases.append(pipeline(conn, data))
            if i < naive_runs:
                naives.append(_timed(lambda: naive(conn, data)))
    small_timings = small_diffs(bench_dsn, small) if small else []
    median = statistics.median
    result = {
        "version": version, "banks": len(data.banks), "branches": len(data.branches),
        "runs": runs, "naive_runs": naive_runs, "small_samples": small,
        "copy_s": median(copies),
        "phases_s": {k: median(p[k] for p in phases) for k in phases[0]},
        "naive_s": median(naives) if naives else None,
        "small_p50_ms": median(small_timings) * 1000 if small_timings else None,
        "small_p95_ms": _p95(small_timings) * 1000 if small_timings else None,
        "date": dt.date.today().isoformat(),
        "load_avg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    result["pipeline_over_copy"] = result["phases_s"]["pipeline"] / result["copy_s"]
    if result["naive_s"]:
        result["naive_over_pipeline"] = result["naive_s"] / result["phases_s"]["pipeline"]
    return result


def render(r: dict) -> str:
    ph = r["phases_s"]
    durable = bool(r.get("durable"))
    records = r["banks"] + r["branches"]
    if durable:
        server = (
            "a throwaway PostgreSQL 15 cluster started for the run (`--durable`) with"
            " PostgreSQL's durable defaults (`fsync`, `synchronous_commit` and"
            " `full_page_writes` on), reached over loopback TCP")
    else:
        server = ("the configured local PostgreSQL 15 cluster (`fsync = off`,"
                  " `synchronous_commit = off`), reached over loopback TCP")
    lines = [
        "## Zengin pipeline",
        "",
        "```sh",
        f".venv/bin/bbase bench zengin{' --durable' if durable else ''} --runs {r['runs']}"
        f" --naive-runs {r['naive_runs']} --small {r['small_samples']} --write-docs"
        "   # workshop/bbase_workshop/bench/zengin.py",
        "```",
        "",
        f"Run on {r['date']}: zengin-code 1.1.0.{r['version']} ({r['banks']} banks,"
        f" {r['branches']} branches) into an empty master, in a scratch database"
        f" `{BENCH_DB}` migrated from scratch, on {server}; medians of {r['runs']} runs,"
        f" naive baseline {r['naive_runs']} run(s). Same machine, 2 cores shared with"
        f" other jobs (1-minute load average {r['load_avg'][0]} before, {r['load_avg'][1]}"
        " after): absolute times are inflated by the load, the same-run ratios less so.",
        "",
        "| measurement | time | note |",
        "|---|---|---|",
        f"| bare COPY of the same rows into two bare tables | {r['copy_s'] * 1000:.0f} ms |"
        " the floor |",
        f"| pipeline: stage (COPY) | {ph['stage'] * 1000:.0f} ms | |",
        f"| pipeline: diff_snapshot | {ph['diff'] * 1000:.0f} ms | |",
        f"| pipeline: approve all | {ph['approve'] * 1000:.0f} ms | |",
        f"| pipeline: execute_approved_diffs | {ph['execute'] * 1000:.0f} ms |"
        " incl. validation and change_history |",
        f"| **pipeline total** | **{ph['pipeline'] * 1000:.0f} ms** |"
        f" **{r['pipeline_over_copy']:.1f}× bare COPY** (target ≤ 5×) |",
    ]
    if r.get("naive_s"):
        lines.append(
            f"| naive: row by row, one transaction per row | {r['naive_s']:.1f} s |"
            f" **pipeline {r['naive_over_pipeline']:.1f}× faster** (target ≥ 30×) |")
    if r.get("small_p95_ms") is not None:
        lines.append(
            f"| one single-branch diff approved + executed | p50 {r['small_p50_ms']:.2f} ms,"
            f" **p95 {r['small_p95_ms']:.2f} ms** | {r['small_samples']} samples, each call"
            " committed (target p95 < 5 ms) |")
    met_copy = "met" if r["pipeline_over_copy"] <= 5 else "not met"
    met_naive = ("met" if r.get("naive_over_pipeline", 0) >= 30 else "not met") \
        if r.get("naive_s") else "not measured"
    met_small = ("met" if (r.get("small_p95_ms") or 99) < 5 else "not met") \
        if r.get("small_p95_ms") is not None else "not measured"
    lines += [
        "",
        f"Targets: pipeline ≤ 5× bare COPY: **{met_copy}**; ≥ 30× faster than naive:"
        f" **{met_naive}**; single small diff p95 < 5 ms: **{met_small}**.",
        "",
        "Baselines: *bare COPY* is psycopg `cursor.copy` of the rows into tables without keys,"
        " constraints or triggers; *naive* is the design document's `execute_diff_changes`"
        " pattern (history INSERT, upsert, COMMIT per row) from Python into tables shaped like"
        " the design document's.",
        "",
        f"Where the pipeline's time goes: for each of the {records:,} records it writes four"
        " rows where COPY writes one (the staged row, the diff item with its JSON record, the"
        " master row, the change_history row with old/new JSON), and PostgreSQL 15 checks"
        " foreign keys row by row. Profiled on 2026-11-22 (perf and auto_explain, full master,"
        " local cluster): in diff_snapshot the diff_items → diffs foreign-key checks take about"
        " 95 ms, the JSON items and their numbering about 65 ms, writing the items about"
        " 70 ms; in execute_approved_diffs the change_history rows (JSON, two indexes) take"
        " about 150–200 ms, the branches → banks foreign-key checks about 100 ms, the master"
        " rows with their CHECK constraints and validation about 120 ms. Each of those serves"
        " a requirement (referential integrity, validation that names field and value, one"
        " history row per change, reviewable diff items) and is kept, so the pipeline cannot"
        " come within 5× of a bare COPY, and the ≥ 30× target depends on this per-row work,"
        " not on per-diff overhead (each diff's conflict check probes the master by primary"
        " key, additions are checked by the primary key as they are inserted, and the items"
        " are applied with one statement per kind and table).",
        "",
    ]
    if durable:
        per_row = (r["naive_s"] / records * 1000) if r.get("naive_s") else None
        lines += [
            "The naive baseline pays a WAL flush and a round trip per row"
            + (f" (about {per_row:.2f} ms per record here)" if per_row else "")
            + "; the pipeline commits four times in all. The naive time follows the disk's"
            " flush latency, which the other jobs on this machine change: on 2026-11-22 the"
            " same command measured it between 19.3 s and 30 s, so the ≥ 30× target is met"
            " only on the slower runs: at 19.3 s the pipeline would have to take under"
            f" {19.3 / 30 * 1000:.0f} ms, and it took {ph['pipeline'] * 1000:.0f} ms here. On a"
            " server whose flushes are slower (RDS: network storage) the ratio grows further.",
            "",
        ]
    else:
        lines += [
            "Why the naive baseline is only moderately slower here: this cluster runs with"
            " `fsync = off` and `synchronous_commit = off` over loopback TCP, so its ~30,000"
            " commits cost no disk flush and almost no network. Run with `--durable` for"
            " PostgreSQL's durable defaults, as a production server runs.",
            "",
        ]
    return "\n".join(lines)


def write_docs(section: str, path: Path = DOCS) -> None:
    """Replace (or append) the 'Zengin pipeline' section; re-reads the file first."""
    write_section(section, path)


@contextmanager
def _server(durable: bool) -> Iterator[str]:
    if not durable:
        yield workshop_dsn()
        return
    base = Path(tempfile.mkdtemp(prefix="bbase-bench-durable-"))
    os.chmod(base, 0o755)
    cluster = LocalCluster(datadir=base / "data", port=free_port(), durable=True)
    cluster.start()
    try:
        yield cluster.dsn
    finally:
        cluster.destroy()


def cmd_bench(args: argparse.Namespace) -> int:
    with _server(args.durable) as dsn:
        result = run(dsn, args.version, args.runs, args.naive_runs, args.small)
    result["durable"] = args.durable
    section = render(result)
    print(section)
    print(json.dumps(result, indent=2))
    if args.write_docs:
        write_docs(section)
        print("wrote the Zengin pipeline section of docs/benchmarks.md")
    return 0
