"""``bbase ses``: the SES database's operational commands (seed data, refresh statistics)."""

from __future__ import annotations

import argparse
import time

import psycopg

from glue.config import resolve_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ses", help="SES database: generate data, refresh statistics")
    cmds = p.add_subparsers(dest="ses_command", required=True, metavar="SUBCOMMAND")

    s = cmds.add_parser(
        "seed",
        help="fill every SES context with consistent generated data (set-based SQL)",
        description="Scale 1 is 1,000 engineers and 500 contracts over five years of "
                    "timesheets and invoices; --scale 10 gives the benchmark's 10,000 "
                    "engineers and 5,000 contracts. Fractions are allowed (tests use 0.02).",
    )
    s.add_argument("--scale", type=float, default=1.0, help="size multiplier (default 1)")
    s.add_argument("--seed", type=float, default=0.42,
                   help="random seed in [-1, 1] for setseed(); same seed, same data")
    s.add_argument("--years", type=int, default=5,
                   help="years of timesheets and invoices, ending this month (default 5)")
    s.add_argument("--replace", action="store_true",
                   help="empty the SES tables first (otherwise refuse when they hold data)")
    s.set_defaults(func=cmd_seed)

    r = cmds.add_parser("refresh", help="refresh the report_context materialized views")
    r.set_defaults(func=cmd_refresh)


def cmd_seed(args: argparse.Namespace) -> int:
    from glue import ses_seed

    dsn = resolve_dsn()
    started = time.monotonic()
    with psycopg.connect(dsn) as conn:
        counts = ses_seed.seed(conn, scale=args.scale, seed=args.seed, years=args.years,
                               replace=args.replace, progress=print)
    with psycopg.connect(dsn, autocommit=True) as conn:
        ses_seed.vacuum_analyze(conn)
    for table, n in counts.items():
        print(f"  {table:<50} {n:>10,}")
    print(f"ses seed: {sum(counts.values()):,} rows in {time.monotonic() - started:.1f} s")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    with psycopg.connect(resolve_dsn(), autocommit=True) as conn:
        for view, seconds in conn.execute("SELECT * FROM report_context.refresh_stats()"):
            print(f"refreshed {view} in {seconds:.3f} s")
    return 0
