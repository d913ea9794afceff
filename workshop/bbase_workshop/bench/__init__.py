"""Benchmark commands (``bbase bench <area>``), one module per area.

Each module provides ``cmd_bench(args)``; its options are declared in
``bbase_workshop/commands/bench.py``. Benchmarks are commands, never timed
tests: they print medians and ratios against a baseline measured in the same
run (see docs/benchmarks.md), and with ``--write-docs`` replace their own
section of docs/benchmarks.md.
"""

from __future__ import annotations

from pathlib import Path

from bbase_workshop import CHECKOUT

DOCS = CHECKOUT / "docs" / "benchmarks.md"


def write_section(section: str, path: Path = DOCS) -> None:
    """Replace (or append) the section whose heading is ``section``'s first line."""
    heading = section.splitlines()[0]
    text = path.read_text(encoding="utf-8")
    start = text.find(heading + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end != -1 else "")
    path.write_text(text, encoding="utf-8")
