"""``bbase ses seed``: fill the SES contexts with generated data (the workshop's generator)."""

from __future__ import annotations

import argparse
import time

from bbase.cli import GROUPS


def register(sub: argparse._SubParsersAction) -> None:
    cmds = GROUPS["ses"]
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


def cmd_seed(args: argparse.Namespace) -> int:
    import psycopg

    from bbase_workshop import seed as ses_seed
    from bbase_workshop.pgcluster import workshop_dsn

    dsn = workshop_dsn()
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
