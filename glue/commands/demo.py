"""``bbase demo``: the main job on the embedded default (local PG15 cluster)."""

from __future__ import annotations

import argparse

from glue import migrate as mig
from glue.config import resolve_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the main job on the embedded default, no configuration")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    dsn = resolve_dsn()
    print(f"demo: database {dsn}")
    applied, replayed = mig.migrate(dsn)
    print(f"demo: {len(applied)} migration(s) applied, {len(replayed)} object file(s) replayed")
    return 0
