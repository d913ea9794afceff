"""The ``bbase`` console script.

Each command group lives in its own module under ``glue/commands/`` and
exposes ``register(subparsers)``; this file only wires them together.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from glue.errors import BbaseError

COMMAND_MODULES = (
    "glue.commands.db",
    "glue.commands.maintain",
    "glue.commands.zengin",
    "glue.commands.aws",
    "glue.commands.sync",
    "glue.commands.ses",
    "glue.commands.demo",
    "glue.commands.bench",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bbase",
        description="bbase: Zengin master data pipeline and SES database (SQL-first).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BbaseError as exc:
        print(f"bbase: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
