"""``bbase bench <area>``: the benchmarks under workshop/bbase_workshop/bench/.

The options of each area are declared here and its module
(``bbase_workshop.bench.<area>``, which loads psycopg, boto3 and the moto
server) is imported only when that benchmark runs: ``bbase --help`` stays fast.
Each module provides ``cmd_bench(args)``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmarks with same-run baselines (docs/benchmarks.md)")
    areas = p.add_subparsers(dest="area", required=True, metavar="AREA",
                             help="what to measure")

    z = areas.add_parser("zengin",
                         help="full Zengin master: pipeline vs bare COPY vs naive row-by-row")
    z.add_argument("--version", default="20250629", help="zengin-code release (YYYYMMDD)")
    z.add_argument("--runs", type=int, default=5, help="pipeline/COPY runs (median reported)")
    z.add_argument("--naive-runs", type=int, default=1, help="naive baseline runs (slow)")
    z.add_argument("--small", type=int, default=200, help="single-diff approve+execute samples")
    z.add_argument("--durable", action="store_true",
                   help="run in a throwaway local cluster with PostgreSQL's durable defaults"
                        " (fsync and synchronous_commit on), as a production server runs")
    z.add_argument("--write-docs", action="store_true",
                   help="write the figures into docs/benchmarks.md (Zengin pipeline)")
    z.set_defaults(func=_run("zengin"))

    s = areas.add_parser("sync", help="sync of N DynamoDB records into PostgreSQL vs bare boto3")
    s.add_argument("--sizes", default="2500,5000,10000",
                   help="comma-separated record counts (default 2500,5000,10000)")
    s.add_argument("--repeat", type=int, default=3, help="timed runs per size (median)")
    s.set_defaults(func=_run("sync"))

    e = areas.add_parser("ses", help="SES index-backed queries: p50/p95 vs seq-scan baseline;"
                                " personal data encryption cost vs pgcrypto defaults")
    e.add_argument("--scale", type=float, default=10.0,
                   help="seed scale of the scratch database (10 = 10,000 engineers)")
    e.add_argument("--runs", type=int, default=300, help="timed executions per query (indexed)")
    e.add_argument("--baseline-runs", type=int, default=40,
                   help="timed executions per query with index scans off")
    e.add_argument("--reseed", action="store_true", help="regenerate the data even if present")
    e.add_argument("--json", type=Path, help="also write the results to this JSON file")
    e.add_argument("--crypto-rows", type=int, default=2000,
                   help="values per run in the personal data encryption section (default 2000)")
    e.add_argument("--crypto-runs", type=int, default=9,
                   help="rounds of the encryption section, each timing every variant once"
                        " (median reported)")
    e.add_argument("--crypto-only", action="store_true",
                   help="only the encryption section (needs no seeded data)")
    e.add_argument("--crypto-write-docs", action="store_true",
                   help="write the encryption figures into docs/benchmarks.md")
    e.add_argument("--rls", action="store_true",
                   help="measure row-level security instead: each SES role against a"
                        " BYPASSRLS role on the same queries (--runs per pair)")
    e.add_argument("--plan-cache-mode", default="auto",
                   choices=("auto", "force_generic_plan", "force_custom_plan"),
                   help="with --rls: plan_cache_mode of both connections (default auto)")
    e.add_argument("--write-docs", action="store_true",
                   help="with --rls: write the figures into docs/benchmarks.md"
                        " (SES row-level security)")
    e.set_defaults(func=_run("ses"))

    t = areas.add_parser("transfer", help="Zengin transfer file of N payees vs plain COPY of"
                                          " the same fixed-width lines")
    t.add_argument("--payees", type=int, default=10000, help="transfers in the file (default"
                                                              " 10000)")
    t.add_argument("--runs", type=int, default=5, help="rounds (median reported)")
    t.add_argument("--write-docs", action="store_true",
                   help="write the figures into docs/benchmarks.md (SES transfer file)")
    t.set_defaults(func=_run("transfer"))
    v = areas.add_parser("events", help="SES event consumers (four sessions) vs a bare"
                                        " SKIP LOCKED loop over the same queue")
    v.add_argument("--events", type=int, default=5000, help="events recorded per round")
    v.add_argument("--threads", type=int, default=4, help="concurrent sessions (default 4)")
    v.add_argument("--batch", type=int, default=100, help="events per claim (default 100)")
    v.add_argument("--rounds", type=int, default=3, help="rounds (median reported)")
    v.add_argument("--write-docs", action="store_true",
                   help="write the figures into docs/benchmarks.md (SES event consumers)")
    v.set_defaults(func=_run("events"))

    ld = areas.add_parser("load", help="mixed SES workload of many users under row-level"
                                       " security through PgBouncer vs pgbench -S and TPC-B")
    ld.add_argument("--clients", default="10,100,500,1000",
                    help="comma-separated client counts, one step each (default"
                         " 10,100,500,1000)")
    ld.add_argument("--duration", type=int, default=20, help="seconds per step and workload"
                                                              " (default 20)")
    ld.add_argument("--scale", type=float, default=2.0,
                    help="seed scale when the scratch database is (re)seeded (default 2)")
    ld.add_argument("--reseed", action="store_true", help="seed again even if data is present")
    ld.add_argument("--database", default="bbase_bench_load",
                    help="scratch database of the mix (default bbase_bench_load)")
    ld.add_argument("--tpcb-scale", type=int, default=10,
                    help="pgbench -i scale of the baselines' database (default 10)")
    ld.add_argument("--rate", type=float, default=None,
                    help="offered load of the paced mix runs, transactions per second over all"
                         " clients (default: half the mix's throughput at the first step; 0: no"
                         " paced runs)")
    ld.add_argument("--no-baselines", action="store_true",
                    help="the mix only (no pgbench -S / TPC-B runs)")
    ld.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ld.add_argument("--write-docs", action="store_true",
                    help="write the figures into docs/benchmarks.md (SES mixed load)")
    ld.set_defaults(func=_run("load"))

    m = areas.add_parser("close", help="SES monthly close (billing_context.close_month) of a"
                                       " seeded month vs a bare INSERT … SELECT of its invoices")
    m.add_argument("--scale", type=float, default=10.0,
                   help="seed scale of the scratch database (10 = 8,000 contracts; 0.02 for a"
                        " quick run)")
    m.add_argument("--runs", type=int, default=3, help="rounds of close and floor (median)")
    m.add_argument("--reseed", action="store_true",
                   help="seed and build the month again even if present for this scale")
    m.add_argument("--write-docs", action="store_true",
                   help="write the figures into docs/benchmarks.md (SES monthly close)")
    m.set_defaults(func=_run("close"))

    c = areas.add_parser("cli", help="bbase --help start-up time vs a bare interpreter start")
    c.add_argument("--runs", type=int, default=21, help="runs of each command (median reported)")
    c.add_argument("--write-docs", action="store_true",
                   help="write the figures into docs/benchmarks.md (CLI start-up)")
    c.set_defaults(func=_run("cli"))


def _run(area: str) -> Callable[[argparse.Namespace], int]:
    """The command function of one area: imports its module when it runs."""

    def cmd_bench(args: argparse.Namespace) -> int:
        module = importlib.import_module(f"bbase_workshop.bench.{area}")
        return int(module.cmd_bench(args) or 0)

    cmd_bench.__name__ = f"cmd_bench_{area}"
    return cmd_bench
