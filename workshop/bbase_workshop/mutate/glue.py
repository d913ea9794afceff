"""Mutation testing of the Python glue (``bbase mutate --glue CONFIG``), with cosmic-ray.

The SQL has its own operators (:mod:`.operators`); for the glue a well-kept
library does the work: cosmic-ray generates the mutants of one module (its
``core/*`` operators: comparisons, boolean operators, numbers, constants,
exceptions, loops ...), applies each in turn and runs a test command. What this
module adds:

* **isolation**: cosmic-ray rewrites the module file in place. It runs in a
  copy of the checkout (``glue/`` and ``tests/`` copied, everything else
  linked, the copy's ``glue/`` first on ``PYTHONPATH``), so the working tree,
  and any test run importing ``bbase`` meanwhile, never sees a mutant, and
  tests edited during a run cannot change it (``--tests-at REV``: the tests of
  that revision, a "before" score);
* **scope and sample**: the config names the functions worth it
  (``[bbase-glue] functions``); of their mutants a seeded random sample is
  kept (the rest deleted from the cosmic-ray session before ``exec``);
* **the score** with its 95 % Wilson interval, like the SQL areas.

A config is a cosmic-ray TOML file (``[cosmic-ray]``: ``module-path``,
``test-command``, ``timeout``) with a ``[bbase-glue]`` table naming the
functions; ``workshop/bbase_workshop/mutate/glue_*.toml``.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

from bbase_workshop.mutate.report import wilson


def sample_session(session: Path, functions: list[str], sample: int | None,
                   seed: int) -> tuple[int, int]:
    """Keep in a cosmic-ray session only ``sample`` random mutants (all without a
    sample) of the named functions; (mutants of those functions, kept)."""
    with sqlite3.connect(session) as db:
        # cosmic-ray's job ids are random: the sample is drawn in a stable order (the
        # mutant's place and operator), so a seed names the same mutants every run.
        jobs = [job for job, name in db.execute("""
            SELECT job_id, definition_name FROM mutation_specs
            ORDER BY start_pos_row, start_pos_col, end_pos_row, end_pos_col, operator_name,
                     occurrence""") if name in functions]
        kept = set(random.Random(seed).sample(jobs, min(sample, len(jobs)))
                   if sample else jobs)
        dropped = [(job,) for job, in db.execute("SELECT job_id FROM work_items")
                   if job not in kept]
        db.executemany("DELETE FROM mutation_specs WHERE job_id = ?", dropped)
        db.executemany("DELETE FROM work_items WHERE job_id = ?", dropped)
    return len(jobs), len(kept)


def copy_checkout(root: Path, into: Path, tests_at: str | None = None) -> Path:
    """The SQL harness's snapshot (``tests/`` copied, or exported from ``tests_at``;
    every other entry linked), with ``glue/`` copied too: the mutants are written there."""
    from bbase_workshop.mutate.runner import snapshot_checkout

    snapshot_checkout(root, into, tests_at)
    (into / "glue").unlink()
    shutil.copytree(root / "glue", into / "glue",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return into


def results(session: Path) -> list[tuple[str, str, str, str]]:
    """(function, operator, outcome, diff) per mutant run; outcome killed | survived |
    incompetent (the mutant could not run: cosmic-ray's own category)."""
    with sqlite3.connect(session) as db:
        return list(db.execute("""
            SELECT s.definition_name, s.operator_name, lower(r.test_outcome), r.diff
            FROM work_results AS r JOIN mutation_specs AS s USING (job_id)
            ORDER BY s.start_pos_row, s.operator_name"""))


def score_line(outcomes: list[str]) -> str:
    c = Counter(outcomes)
    live = c["killed"] + c["survived"]
    low, high = wilson(c["killed"], live)
    score = f"{100 * c['killed'] / live:.0f} %" if live else "-"
    return (f"| {len(outcomes)} | {c['killed']} | {c['survived']} | {c['incompetent']} | "
            f"{score} | {100 * low:.0f}–{100 * high:.0f} % |")


def run(config: Path, sample: int | None, seed: int, root: Path,
        tests_at: str | None = None, keep: Path | None = None) -> int:
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    functions = settings["bbase-glue"]["functions"]
    base = Path(tempfile.mkdtemp(prefix="bbase-mutate-glue-"))
    try:
        work = copy_checkout(root, base / "checkout", tests_at)
        bin_dir = Path(sys.executable).parent
        # The test command's ``python`` is this venv's; the copy's glue/ comes first.
        env = {**os.environ, "PYTHONPATH": str(work / "glue"),
               "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        session = base / "session.sqlite"

        def cr(*args: str) -> None:
            subprocess.run([str(bin_dir / "cosmic-ray"), *args], cwd=work, env=env, check=True)

        cr("init", str(config.resolve()), str(session))
        population, kept = sample_session(session, functions, sample, seed)
        module = settings["cosmic-ray"]["module-path"]
        print(f"mutate --glue: {kept} of {population} mutants of {module} "
              f"({', '.join(functions)})", flush=True)
        cr("baseline", str(config.resolve()))
        cr("exec", str(config.resolve()), str(session))
        rows = results(session)
        if keep:  # the cosmic-ray session, for cr-report or cr-html
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(session, keep)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"\n| module | population | sampled | killed | survived | incompetent | score | "
          f"95 % interval |\n|---|---:|---:|---:|---:|---:|---:|---|\n"
          f"| `{module}` | {population} " + score_line([r[2] for r in rows]))
    alive = [r for r in rows if r[2] == "survived"]
    for function, operator, _, diff in alive:
        changed = [ln for ln in diff.splitlines()
                   if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
        print(f"\nsurvived: {function} {operator}\n  " + "\n  ".join(changed))
    return 0
