"""``bbase bench cli``: how fast the ``bbase`` command answers, against a bare interpreter.

A scheduler calls ``bbase`` often, so ``bbase --help`` (the parser of every
command, the workshop's included) should answer in under 150 ms. The
baseline, in the same run and interleaved with it, is the same interpreter
doing nothing (``python -c pass``): what no CLI written in Python can beat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bbase_workshop.bench import write_section

TARGET_MS = 150.0


def _time_ms(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def measure(runs: int) -> dict:
    bbase = str(Path(sys.executable).with_name("bbase"))
    commands = {"bbase --help": [bbase, "--help"], "python -c pass": [sys.executable, "-c", "pass"]}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the file cache once
        _time_ms(argv)
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(_time_ms(argv))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {"runs": runs, "median_ms": medians,
            "min_ms": {name: min(values) for name, values in samples.items()},
            "over_python": medians["bbase --help"] / medians["python -c pass"],
            "load_avg": [round(x, 2) for x in os.getloadavg()[:2]],
            "date": dt.date.today().isoformat()}


def render(r: dict) -> str:
    help_ms, bare_ms = r["median_ms"]["bbase --help"], r["median_ms"]["python -c pass"]
    verdict = "met" if help_ms < TARGET_MS else "not met"
    return (
        "## CLI start-up\n\n"
        f"`.venv/bin/bbase bench cli --runs {r['runs']} --write-docs` ({r['date']}, load average "
        f"{r['load_avg'][0]} / {r['load_avg'][1]}): {r['runs']} runs of each command, "
        "interleaved, in a checkout with the workshop installed (so every command's parser "
        "is built).\n\n"
        "| command | median | fastest |\n|---|---:|---:|\n"
        f"| `bbase --help` | {help_ms:.0f} ms | {r['min_ms']['bbase --help']:.0f} ms |\n"
        f"| baseline: `python -c pass` | {bare_ms:.0f} ms | "
        f"{r['min_ms']['python -c pass']:.0f} ms |\n\n"
        f"`bbase --help` takes {r['over_python']:.1f}× a bare interpreter start; target "
        f"< {TARGET_MS:.0f} ms: {verdict}. Building the parser imports no heavy library "
        "(psycopg, boto3, jinja2, yoyo, moto): `tests/foundation/test_cli.py` checks it.\n"
    )


def cmd_bench(args: argparse.Namespace) -> int:
    result = measure(args.runs)
    section = render(result)
    print(section)
    if args.write_docs:
        write_section(section)
        print("wrote the CLI start-up section of docs/benchmarks.md")
    return 0
