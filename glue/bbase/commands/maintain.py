"""``bbase maintain``: every scheduled database maintenance task, in one call for cron.

The tasks, and which of them apply to this database, are the database's to
say: this calls ``bbase.run_maintenance()`` and prints one JSON line per task
it ran. A database with no area of the product installed is an error (exit
1, one ``bbase: …`` line), so a scheduler pointed at the wrong database
notices.
"""

from __future__ import annotations

import argparse
import json

from bbase.config import resolve_dsn
from bbase.errors import BbaseError

NOTHING_INSTALLED = ("no area of the product is installed in this database, nothing to maintain:"
                     " check DATABASE_URL, or run bbase migrate first")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("maintain", help="run every scheduled maintenance task (partitions,"
                                        " retention, expiry, statistics); schedule it daily")
    p.set_defaults(func=cmd_maintain)


def cmd_maintain(args: argparse.Namespace) -> int:
    from bbase.connection import connect

    with connect(resolve_dsn(), autocommit=True, application_name="bbase maintain") as conn:
        installed = conn.execute(
            "SELECT to_regprocedure('bbase.run_maintenance()') IS NOT NULL").fetchone()[0]
        if not installed:
            raise BbaseError(NOTHING_INSTALLED)
        result = conn.execute("SELECT bbase.run_maintenance()").fetchone()[0]
    if not result:
        raise BbaseError(NOTHING_INSTALLED)
    for task, outcome in result.items():
        print(json.dumps({"task": task, "result": outcome}, ensure_ascii=False))
    return 0
