"""``bbase migrate``, ``bbase rollback``, ``bbase status``, ``bbase db``: schema lifecycle."""

from __future__ import annotations

import argparse

from bbase import migrate as mig
from bbase.config import resolve_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="apply pending migrations and replay changed sql/ objects")
    p.add_argument("--only", nargs="*", metavar="PREFIX",
                   help="apply only migrations whose id starts with PREFIX (one context)")
    p.add_argument("--schemas", nargs="*", metavar="SCHEMA",
                   help="replay only the sql/ objects of these schemas")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("rollback", help="roll back migrations (all, or the last N)")
    p.add_argument("--count", type=int, default=None)
    p.add_argument("--all", action="store_true", help="required to roll back everything")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("status", help="list migrations and whether they are applied")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("dsn", help="print the database URI in use (starts the local cluster)")
    p.set_defaults(func=lambda a: print(resolve_dsn()))


def cmd_migrate(args: argparse.Namespace) -> int:
    applied, replayed = mig.migrate(resolve_dsn(), only=args.only, schemas=args.schemas)
    for m in applied:
        print(f"applied  {m}")
    for f in replayed:
        print(f"replayed {f}")
    print(f"migrate: {len(applied)} migration(s) applied, {len(replayed)} object file(s) replayed")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    if args.count is None and not args.all:
        print("rollback: give --count N or --all")
        return 2
    for m in mig.rollback(resolve_dsn(), None if args.all else args.count):
        print(f"rolled back {m}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    for mid, applied in mig.status(resolve_dsn()):
        print(f"{'A' if applied else 'U'} {mid}")
    return 0
