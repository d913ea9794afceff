"""The mutation harness for the SQL (``bbase mutate``, ``./dev mutate``; docs/testing.md).

Mutants come from operators (:mod:`.operators`) over the replaceable files
under ``sql/`` and the CHECK constraints the migrations made; each runs against
its own mutated copy of a migrated database with only the tests that name the
mutated object (:mod:`.testmap`, :mod:`.runner`); :mod:`.report` scores areas.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shlex
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bbase_workshop.mutate import operators as ops
from bbase_workshop.mutate.report import (
    AREAS,
    area_of,
    load_equivalent,
    read_results,
    score_table,
    survivors,
    write_docs,
)


def checkout_root() -> Path:
    return Path(__file__).resolve().parents[3]


def sql_mutants(root: Path) -> list[ops.Mutant]:
    sets = ops.status_sets(root / "migrations")
    out: list[ops.Mutant] = []
    for path in sorted((root / "sql").rglob("*.sql")):
        out.extend(ops.mutants_of_file(root, path, sets))
    return out


def select(mutants: list[ops.Mutant], args: argparse.Namespace) -> list[ops.Mutant]:
    chosen = [m for m in mutants
              if (not args.area or area_of(m.relpath) in args.area)
              and (not args.file or any(m.relpath == f or m.relpath.startswith(
                  (f.rstrip("/") + "/", f + ":")) for f in args.file))
              and (not args.operator or m.operator in args.operator)]
    earlier = args.rerun or args.rerun_survivors
    if earlier:
        wanted = set(read_results([earlier])[0])
        return [m for m in chosen if m.id in wanted]
    if args.sample:
        # Stratified: a simple random sample of each area, then the areas taken in
        # turn (one mutant of each, then the next ...), so that a run stopped early
        # still holds a random sample of every area.
        rng = random.Random(args.seed)
        strata = []
        for area in AREAS:
            pool = [m for m in chosen if area_of(m.relpath) == area]
            strata.append(rng.sample(pool, min(args.sample, len(pool))))
        chosen = [m for turn in itertools.zip_longest(*strata) for m in turn if m is not None]
    return chosen


def population_of(mutants: list[ops.Mutant]) -> dict[str, int]:
    return dict(Counter(area_of(m.relpath) for m in mutants))


def score(args: argparse.Namespace) -> int:
    """``--score RESULTS...``: the table of earlier runs, nothing run."""
    records, population = read_results(args.score)
    # Equivalence is a property of the mutant, not of the tests: a mutant listed as
    # equivalent since the run is scored as such (in a "before" table too).
    equivalent = load_equivalent()
    for mid, record in records.items():
        if mid in equivalent and record["status"] == "survived":
            record["status"] = "equivalent"
    table = score_table([(area_of(r["id"].rsplit(":", 3)[0] if not r["id"].startswith(
        ("check:", "grant:")) else r["id"]), r["status"]) for r in records.values()], population)
    ran = [r["seconds"] for r in records.values()
           if r["status"] in ("killed", "survived", "timeout") and r["seconds"]]
    per_mutant = (f"{len(ran)} mutants run, {sum(ran) / len(ran):.1f}s per mutant on average"
                  if ran else "no mutant run")
    print(table + f"\n\n{per_mutant}")
    alive = sorted(r["id"] for r in records.values() if r["status"] == "survived")
    if alive:
        print("\nsurvivors:\n  " + "\n  ".join(alive))
    if args.write_docs:
        command = "./dev mutate " + " ".join(shlex.quote(a) for a in sys.argv[2:])
        write_docs(checkout_root() / "docs" / "testing.md", table, command,
                   time.strftime("%Y-%m-%d", time.gmtime()), per_mutant)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """A SIGTERM ends the run like ^C: the ``finally`` destroys the throwaway cluster."""
    raise KeyboardInterrupt


def main(args: argparse.Namespace) -> int:
    import signal

    # Heavy (psycopg): imported when the harness runs, not when the CLI is built.
    from bbase_workshop.mutate.runner import Outcome, Runner, snapshot_checkout
    from bbase_workshop.mutate.testmap import TestMap
    from bbase_workshop.pgcluster import LocalCluster, free_port

    if args.score:
        return score(args)
    if args.glue:
        from bbase_workshop.mutate.glue import run

        return run(Path(args.glue), args.sample, args.seed, checkout_root(), args.tests_at,
                   Path(args.results).with_suffix(".sqlite"))
    signal.signal(signal.SIGTERM, _interrupt)

    root = checkout_root()
    mutants = sql_mutants(root)
    wants_checks = not args.operator or "drop-check" in args.operator
    wants_grants = not args.operator or "drop-grant" in args.operator
    command = "./dev mutate " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    base = Path(tempfile.mkdtemp(prefix="bbase-mutate-"))
    cluster = LocalCluster(datadir=base / "data", port=free_port())
    cluster.start()
    try:
        workdir = snapshot_checkout(root, base / "checkout", args.tests_at)
        runner = Runner(root, cluster.dsn, cluster.dsn_for, timeout_factor=args.timeout_factor,
                        workdir=workdir, confirm_kills=args.lazy_baseline)
        t0 = time.monotonic()
        runner.prepare()
        if wants_checks:
            mutants += [ops.drop_check_mutant(*c) for c in runner.check_constraints()]
        if wants_grants:
            mutants += [ops.drop_grant_mutant(*g) for g in runner.grant_rows()]
        chosen = select(mutants, args)
        if args.list:
            for m in chosen:
                print(m.describe())
            return 0
        print(f"mutate: {len(chosen)} of {len(mutants)} mutants; base database migrated in "
              f"{time.monotonic() - t0:.0f}s", flush=True)
        tmap = TestMap(workdir)
        equivalent = load_equivalent()
        # --rerun-survivors: only the earlier survivors run again; every other outcome
        # (killed, timeout, stillborn, ...) is carried over: tests were added since, none
        # removed, so a killed mutant stays killed.
        carried = {} if not args.rerun_survivors else {
            mid: r["status"] for mid, r in read_results([args.rerun_survivors])[0].items()
            if r["status"] != "survived"}
        plan = {m.id: tmap.tests_for(m.relpath)[:args.max_test_files] for m in chosen
                if m.id not in carried and m.id not in equivalent}
        union = sorted({t for tests in plan.values() for t in tests})
        t1 = time.monotonic()
        if not (args.no_baseline or args.lazy_baseline):
            runner.baseline(union)
            print(f"mutate: baseline of {len(union)} test files in {time.monotonic() - t1:.0f}s",
                  flush=True)
        outcomes: list[Outcome] = []
        results = Path(args.results)
        results.parent.mkdir(parents=True, exist_ok=True)
        with results.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"run": command, "population": population_of(mutants)}) + "\n")
            for i, m in enumerate(chosen, 1):
                if m.id in equivalent:
                    o = Outcome(m, "equivalent", 0.0, equivalent[m.id])
                elif m.id in carried:
                    o = Outcome(m, carried[m.id], 0.0, f"as in {args.rerun_survivors}")
                else:
                    o = runner.run_one(m, plan[m.id])
                outcomes.append(o)
                print(f"[{i}/{len(chosen)}] {o.status:<10} {o.seconds:5.1f}s "
                      f"{m.describe()}" + (f"\n      {o.detail}" if o.status in (
                          "killed", "error", "stillborn") and args.verbose else ""),
                      flush=True)
                log.write(json.dumps({"id": m.id, "area": area_of(m.relpath),
                                      "operator": m.operator, "status": o.status,
                                      "seconds": round(o.seconds, 1), "detail": o.detail,
                                      "original": m.original, "replacement": m.replacement})
                          + "\n")
                log.flush()  # a run stopped midway keeps every mutant it finished
    finally:
        cluster.destroy()
    table = score_table([(area_of(o.mutant.relpath), o.status) for o in outcomes],
                        population_of(mutants))
    ran = [o.seconds for o in outcomes
           if o.status in ("killed", "survived", "timeout") and not o.detail.startswith("as in ")]
    per_mutant = (f"{len(ran)} mutants run, {sum(ran) / len(ran):.1f}s per mutant on average"
                  if ran else "no mutant run")
    print("\n" + table + f"\n\n{per_mutant}")
    alive = survivors(outcomes)
    if alive:
        print("\nsurvivors:\n  " + "\n  ".join(alive))
    if args.write_docs:
        write_docs(root / "docs" / "testing.md", table, command,
                   time.strftime("%Y-%m-%d", time.gmtime()), per_mutant)
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--area", action="append", choices=AREAS,
                   help="only mutants of this area (repeatable)")
    p.add_argument("--file", action="append",
                   help="only mutants of this sql/ file or folder (repeatable), or check:<table>")
    p.add_argument("--operator", action="append", choices=ops.OPERATORS,
                   help="only this operator (repeatable)")
    p.add_argument("--sample", type=int, help="at most N mutants per area, drawn at random")
    p.add_argument("--seed", type=int, default=13, help="seed of --sample (default 13)")
    p.add_argument("--rerun", metavar="RESULTS",
                   help="run again exactly the mutants of an earlier --results file"
                        " (before/after scores on the same mutants)")
    p.add_argument("--rerun-survivors", metavar="RESULTS",
                   help="the mutants of an earlier --results file: its survivors run again,"
                        " every other outcome is carried over (an 'after' score)")
    p.add_argument("--list", action="store_true", help="list the chosen mutants, run nothing")
    p.add_argument("--max-test-files", type=int, default=8,
                   help="run at most this many mapped test files per mutant (direct first)")
    p.add_argument("--tests-at", metavar="REV",
                   help="run the tests as they were at this git revision (a 'before' score);"
                        " default: a copy of the working tree's tests/ taken at the start")
    p.add_argument("--no-baseline", action="store_true",
                   help="skip the run of the mapped tests on the unmutated database"
                        " (trust that they pass)")
    p.add_argument("--lazy-baseline", action="store_true",
                   help="no baseline up front: each kill is confirmed by running the killing"
                        " test on the unmutated database (a test failing there too is left"
                        " out and the mutant runs again)")
    p.add_argument("--score", nargs="+", metavar="RESULTS",
                   help="print (and with --write-docs, write) the score table of earlier"
                        " --results files; nothing is run")
    p.add_argument("--glue", metavar="CONFIG",
                   help="mutate the Python glue with cosmic-ray instead: a config such as"
                        " workshop/bbase_workshop/mutate/glue_dynamo.toml (with --sample,"
                        " --seed)")
    p.add_argument("--timeout-factor", type=float, default=3.0,
                   help="a mutant times out after this many times its tests' baseline"
                        " (at least 120 s)")
    p.add_argument("--results", default=".local/mutate/results.jsonl",
                   help="append one JSON line per mutant here")
    p.add_argument("--verbose", action="store_true", help="print which test killed each mutant")
    p.add_argument("--write-docs", action="store_true",
                   help="write the score table into docs/testing.md")
