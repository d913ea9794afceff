"""The ``bbase`` console script.

Each command group lives in its own module under ``glue/bbase/commands/`` and
exposes ``register(subparsers)``; this file only wires them together. The
workshop (``workshop/bbase_workshop``), when installed, adds its commands
(demo, bench, ses seed, zengin fetch) through the ``bbase.commands`` entry
points; a production install has none of them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from importlib.metadata import entry_points

from bbase.errors import BbaseError

COMMAND_MODULES = (
    "bbase.commands.db",
    "bbase.commands.maintain",
    "bbase.commands.zengin",
    "bbase.commands.aws",
    "bbase.commands.sync",
    "bbase.commands.ses",
)
#: Sub-command groups by name (``zengin``, ``ses``), for plugins that add to them.
GROUPS: dict[str, argparse._SubParsersAction] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bbase",
        description="bbase: Zengin master data pipeline and SES database (SQL-first).",
    )
    parser.add_argument(
        "--local", action="store_true",
        help="when neither DATABASE_URL nor DB_SECRET_ID is set, use the checkout's local"
             " cluster (.local/pg; its demo database after bbase demo); same as BBASE_LOCAL=1")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for plugin in entry_points(group="bbase.commands"):
        plugin.load()(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.local:
        os.environ["BBASE_LOCAL"] = "1"
    try:
        return int(args.func(args) or 0)
    except BbaseError as exc:
        print(f"bbase: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
