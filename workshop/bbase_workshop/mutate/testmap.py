"""Which test files exercise which sql/ file: derived from the sources, once per run.

A test file is mapped to a replaceable file when it names the object the file
defines (the function, the trigger function or its table, the view), directly
or through a caller: a sql/ file that calls the object passes its own tests on,
and so does a glue module (``glue/bbase/...``) that names it, to the test files
that import that module. Direct tests come first, so that ``pytest -x`` stops
at the cheapest failure. The map is a grep, not a coverage measurement: a test
that reaches an object only through an unnamed path is missed, which can only
make a mutant look like a survivor (never like a kill); the survivors' report
is where to look for such gaps.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bbase_workshop.mutate.operators import mask

#: Test files that install the schema from scratch (from the checkout, not the
#: mutated template database), or that check the sources rather than behaviour:
#: a mutant applied to the template database is invisible to them.
FROM_SCRATCH = ("tests/foundation/test_migrations.py", "tests/foundation/test_replay.py",
                "tests/foundation/test_release_mark.py", "tests/foundation/test_package.py",
                "tests/foundation/test_catalog.py", "tests/foundation/test_mutation_harness.py",
                "tests/ses/test_install.py", "tests/demo/test_demo.py")


def object_keys(relpath: str) -> list[str]:
    """The names that identify the object a sql/ file (or a CHECK mutant) defines."""
    if relpath.startswith("check:"):
        table, _, constraint = relpath.removeprefix("check:").partition(":")
        return [constraint, table.replace('"', "")]
    if relpath.startswith("grant:"):  # grant:<schema.table>:<role>:<privilege>
        table = relpath.removeprefix("grant:").split(":")[0]
        return [table, table.split(".")[1]]
    parts = relpath.split("/")
    stem = Path(relpath).stem
    if parts[1] == "schemas":
        return [f"{stem}."]  # a schema file grants on the schema's tables
    schema = parts[2]
    if parts[1] == "triggers":
        m = re.fullmatch(r"tg_(\w+?)__(\w+)", stem)
        if m:
            return [stem, f"{schema}.{m.group(1)}"]
        return [stem, stem.removeprefix("tg_")]
    return [stem, f"{schema}.{stem}"]


def _schema(relpath: str) -> str:
    if relpath.startswith(("check:", "grant:")):
        return relpath.split(":")[1].split(".")[0].strip('"')
    parts = relpath.split("/")
    return Path(parts[2]).stem if parts[1] == "schemas" else parts[2]


def _names(text: str, key: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(key) + (r"(?![\w])" if key[-1] != "." else ""),
                     text) is not None


class TestMap:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tests = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
                      for p in sorted((root / "tests").rglob("test_*.py"))
                      if p.relative_to(root).as_posix() not in FROM_SCRATCH}
        self.sql = {p.relative_to(root).as_posix(): mask(p.read_text(encoding="utf-8"))[0]
                    for p in sorted((root / "sql").rglob("*.sql"))}
        self.glue = {p.relative_to(root / "glue").with_suffix("").as_posix().replace("/", "."):
                     p.read_text(encoding="utf-8")
                     for p in sorted((root / "glue" / "bbase").rglob("*.py"))}

    def _direct(self, keys: list[str]) -> list[str]:
        return [t for t, text in self.tests.items() if any(_names(text, k) for k in keys)]

    def _importers(self, module: str) -> list[str]:
        head, _, tail = module.rpartition(".")
        pattern = re.compile(rf"\bimport\s+{re.escape(module)}\b|\bfrom\s+{re.escape(module)}\s+"
                             rf"import\b|\bfrom\s+{re.escape(head)}\s+import\s+[^\n]*\b"
                             rf"{re.escape(tail)}\b")
        return [t for t, text in self.tests.items() if pattern.search(text)]

    @cache  # noqa: B019 - one map per run, a handful of files
    def tests_for(self, relpath: str) -> tuple[str, ...]:
        """Test files for ``relpath``, direct ones first, then through callers (two levels)."""
        ordered: list[str] = []

        def add(files: list[str]) -> None:
            ordered.extend(f for f in files if f not in ordered)

        keys = object_keys(relpath)
        add(self._direct(keys))
        frontier, seen = [relpath], {relpath}
        for _ in range(2):
            callers = []
            for f in frontier:
                fkeys = object_keys(f) if not f.startswith(("check:", "grant:")) else keys
                for other, text in self.sql.items():
                    if other not in seen and any(_names(text, k) for k in fkeys
                                                 if not k.endswith(".")):
                        callers.append(other)
                        seen.add(other)
                for module, text in self.glue.items():
                    if any(_names(text, k) for k in fkeys if not k.endswith(".")):
                        add(self._importers(module))
            for c in callers:
                add(self._direct(object_keys(c)))
            frontier = callers
        # Cheapest failure first: tests naming the object itself, then the
        # area's own folder, then the rest (stable within each rank).
        folder = "tests/" + {"zengin": "zengin/", "zengin_sync": "sync/"}.get(
            _schema(relpath), "ses/")

        def rank(test: str) -> int:
            if _names(self.tests[test], keys[0]):
                return 0
            return 1 if test.startswith(folder) else 2

        return tuple(sorted(ordered, key=rank))
