"""``bbase ses seed``: fill the SES contexts with generated data (the workshop's generator)."""

from __future__ import annotations

import argparse
import time

from bbase.cli import GROUPS


def register(sub: argparse._SubParsersAction) -> None:
    cmds = GROUPS["ses"]
    s = cmds.add_parser(
        "seed",
        help="fill every SES context with generated data lived through the workflow functions",
        description="Master data (engineers, skills, projects) is generated set-based; then the "
                    "last --months months and the current one are lived through the workflow "
                    "functions as the roles that do the job: matching, contract signatures, "
                    "days entered, timesheets submitted and approved, each month closed "
                    "(billing_context.close_month), receipts, partner payments, overdue, "
                    "events consumed. Scale 1 is 1,000 engineers and 500 contracts; fractions "
                    "are allowed (tests use 0.02). --bulk-history YEARS inserts that many "
                    "earlier years as finished rows, for the query benchmarks' volume only.",
    )
    s.add_argument("--scale", type=float, default=1.0, help="size multiplier (default 1)")
    s.add_argument("--seed", type=float, default=0.42,
                   help="random seed in [-1, 1] for setseed(); same seed, same data")
    s.add_argument("--months", type=int, default=3,
                   help="closed months run through the workflow functions before the "
                        "current one (default 3)")
    s.add_argument("--bulk-history", type=int, default=0, metavar="YEARS",
                   help="years before those months inserted as finished rows, for benchmark "
                        "volume (default 0: none)")
    s.add_argument("--replace", action="store_true",
                   help="empty the SES tables first (otherwise refuse when they hold data)")
    s.set_defaults(func=cmd_seed)


def cmd_seed(args: argparse.Namespace) -> int:
    import psycopg

    from bbase_workshop import seed as ses_seed
    from bbase_workshop.pgcluster import workshop_dsn

    dsn = workshop_dsn()
    started = time.monotonic()
    with psycopg.connect(dsn) as conn:
        counts = ses_seed.seed(conn, scale=args.scale, seed=args.seed, months=args.months,
                               bulk_history=args.bulk_history,
                               replace=args.replace, progress=print)
    with psycopg.connect(dsn, autocommit=True) as conn:
        ses_seed.vacuum_analyze(conn)
    for table, n in counts.items():
        print(f"  {table:<50} {n:>10,}")
    print(f"ses seed: {sum(counts.values()):,} rows in {time.monotonic() - started:.1f} s")
    return 0
