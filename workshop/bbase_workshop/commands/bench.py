"""``bbase bench <area>``: dispatches to the modules under workshop/bbase_workshop/bench/."""

from __future__ import annotations

import argparse
import importlib

BENCH_MODULES = (
    "bbase_workshop.bench.zengin", "bbase_workshop.bench.sync", "bbase_workshop.bench.ses",
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmarks with same-run baselines (docs/benchmarks.md)")
    areas = p.add_subparsers(dest="area", required=True, metavar="AREA")
    for name in BENCH_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(areas)
