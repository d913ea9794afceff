"""``bbase maintain``: every scheduled database maintenance task, in one call for cron.

Each task is a SQL function; this only calls the ones whose schema is
installed in the database and prints what each did.
"""

from __future__ import annotations

import argparse
import json

import psycopg

from bbase.config import resolve_dsn

#: (schema that must exist, what it does, the call)
TASKS: tuple[tuple[str, str, str], ...] = (
    ("zengin", "change_history partitions ahead, retention, stale diffs expired",
     "SELECT zengin.run_maintenance()::text"),
    ("ses_common", "SES partitions created ahead",
     "SELECT count(*)::text FROM ses_common.create_partitions_ahead()"),
    ("report_context", "SES dashboard statistics refreshed concurrently",
     "SELECT json_agg(r)::text FROM report_context.refresh_stats() AS r"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("maintain", help="run every scheduled maintenance task (partitions,"
                                        " retention, expiry, statistics); schedule it daily")
    p.set_defaults(func=cmd_maintain)


def cmd_maintain(args: argparse.Namespace) -> int:
    with psycopg.connect(resolve_dsn(), autocommit=True, application_name="bbase maintain") as conn:
        installed = {r[0] for r in conn.execute("SELECT nspname FROM pg_catalog.pg_namespace")}
        for schema, what, query in TASKS:
            if schema not in installed:
                print(f"maintain: {schema} not installed, skipped")
                continue
            row = conn.execute(query).fetchone()
            print(json.dumps({"task": schema, "what": what, "result": row[0] if row else None},
                             ensure_ascii=False))
    return 0
