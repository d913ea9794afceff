"""``bbase migrate``, ``bbase rollback``, ``bbase status``, ``bbase dsn``: schema lifecycle.

psycopg and yoyo (through ``bbase.migrate``) are imported inside the commands,
so that building the parser stays cheap.
"""

from __future__ import annotations

import argparse

from bbase.config import (
    ConfigError,
    NotInstalledError,
    describe_dsn,
    resolve_direct_dsn,
    resolve_dsn,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="apply pending migrations and replay changed sql/ objects")
    p.add_argument("--only", nargs="*", metavar="PREFIX",
                   help="apply only migrations whose id starts with PREFIX (one context)")
    p.add_argument("--schemas", nargs="*", metavar="SCHEMA",
                   help="replay only the sql/ objects of these schemas")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("rollback", help="roll back migrations (all, or the last N)")
    p.add_argument("--count", type=int, default=None, metavar="N",
                   help="roll back the newest N applied migrations")
    p.add_argument("--all", action="store_true", help="required to roll back everything")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser(
        "status", help="list migrations and whether they are applied (A) or not yet (U)",
        description="One line per migration: 'A <id>' applied, 'U <id>' not applied yet. "
                    "The last line counts them and says what to run next. Exits 1 when "
                    "bbase is not installed in the database.")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "dsn", help="print the database URI in use (DATABASE_URL or DB_SECRET_ID); only"
                    " with --local (bbase --local dsn) does it start the checkout's local"
                    " cluster and print its URI")
    p.set_defaults(func=cmd_dsn)


def _dsn() -> str:
    # Migrations hold yoyo's lock and run their own transactions: a session of its own,
    # not a transaction pooler (DATABASE_DIRECT_URL when DATABASE_POOL_MODE=transaction).
    dsn = resolve_direct_dsn(what="bbase migrate/rollback/status")
    if "://" not in dsn:
        raise ConfigError(f"the database must be given as a URI (postgresql://…), got "
                          f"{describe_dsn(dsn)}")
    return dsn


def installed(dsn: str) -> bool:
    """Whether bbase's migration record exists in the database (without creating it,
    as yoyo would)."""

    from bbase.connection import connect

    with connect(dsn, autocommit=True, application_name="bbase status") as conn:
        row = conn.execute("SELECT to_regclass('public._yoyo_migration') IS NOT NULL")
        return bool(row.fetchone()[0])


def not_installed(dsn: str) -> NotInstalledError:
    return NotInstalledError(f"bbase is not installed in {describe_dsn(dsn)}: run bbase migrate")


def cmd_migrate(args: argparse.Namespace) -> int:
    from bbase import migrate as mig

    applied, replayed = mig.migrate(_dsn(), only=args.only, schemas=args.schemas)
    for m in applied:
        print(f"applied  {m}")
    for f in replayed:
        print(f"replayed {f}")
    print(f"migrate: {len(applied)} migration(s) applied, {len(replayed)} object file(s) replayed")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from bbase import migrate as mig

    if args.count is None and not args.all:
        print("rollback: give --count N or --all")
        return 2
    dsn = _dsn()
    if not installed(dsn):
        raise not_installed(dsn)
    for m in mig.rollback(dsn, None if args.all else args.count):
        print(f"rolled back {m}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from bbase import migrate as mig

    dsn = _dsn()
    if not installed(dsn):
        raise not_installed(dsn)
    rows = mig.status(dsn)
    applied = sum(1 for _, done in rows if done)
    print("# A = applied, U = not applied yet")
    for mid, done in rows:
        print(f"{'A' if done else 'U'} {mid}")
    if applied == 0:
        raise not_installed(dsn)
    pending = len(rows) - applied
    advice = "run bbase migrate to apply them" if pending else "nothing to do"
    print(f"status: {applied} applied, {pending} not applied yet; {advice}")
    return 0


def cmd_dsn(args: argparse.Namespace) -> int:
    print(resolve_dsn())
    return 0
