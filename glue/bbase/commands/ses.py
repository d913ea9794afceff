"""``bbase ses``: the SES database's operational commands (refresh statistics).

The workshop adds ``bbase ses seed`` (generated data) to this group."""

from __future__ import annotations

import argparse

from bbase.cli import GROUPS
from bbase.config import resolve_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ses", help="SES database: refresh statistics"
                                   " (and, in a checkout, generate data)")
    cmds = p.add_subparsers(dest="ses_command", required=True, metavar="SUBCOMMAND",
                            help="the SES operation to run")
    GROUPS["ses"] = cmds

    r = cmds.add_parser("refresh", help="refresh the report_context materialized views")
    r.set_defaults(func=cmd_refresh)


def cmd_refresh(args: argparse.Namespace) -> int:
    import psycopg

    with psycopg.connect(resolve_dsn(), autocommit=True) as conn:
        for view, seconds in conn.execute("SELECT * FROM report_context.refresh_stats()"):
            print(f"refreshed {view} in {seconds:.3f} s")
    return 0
