"""``bbase mutate``: the mutation harness for the SQL (docs/testing.md)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    from bbase_workshop.mutate import add_arguments

    p = sub.add_parser("mutate", help="mutation testing of sql/ and the migrations' CHECKs"
                                      " (docs/testing.md)")
    add_arguments(p)
    p.set_defaults(func=cmd_mutate)


def cmd_mutate(args: argparse.Namespace) -> int:
    from bbase_workshop.mutate import main

    try:
        return main(args)
    except KeyboardInterrupt:
        print(f"mutate: interrupted; the mutants run so far are in {args.results}")
        return 130
