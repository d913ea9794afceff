"""``bbase zengin fetch``: download a released zengin-code snapshot (real test data)."""

from __future__ import annotations

import argparse

from bbase.cli import GROUPS


def register(sub: argparse._SubParsersAction) -> None:
    s = GROUPS["zengin"].add_parser(
        "fetch",
        help="download zengin-code 1.1.0.VERSION into .local/zengin; print its data folder")
    s.add_argument("version", help="YYYYMMDD or 1.1.0.YYYYMMDD")
    s.set_defaults(func=cmd_fetch)


def cmd_fetch(args: argparse.Namespace) -> int:
    from bbase_workshop.snapshots import fetch_snapshot

    print(fetch_snapshot(args.version))
    return 0
