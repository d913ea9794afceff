"""Run mutants: each applied to its own copy of a migrated database, then the mapped tests.

How one mutant runs (``run_one``):

1. ``CREATE DATABASE mut_current TEMPLATE mut_base`` (``mut_base`` is migrated
   once per run, from the checkout);
2. the mutated text of the one sql/ file is executed in it (a replaceable
   file is idempotent, so this replaces the object), and every post-install
   file that names the object is executed again (attaching triggers, grants);
   a ``drop-check`` mutant is one ``ALTER TABLE ... DROP CONSTRAINT``. A mutant
   PostgreSQL refuses to create is *stillborn* and not counted;
3. ``pytest -x`` on the mapped test files, with ``PG_TEST_DSN`` pointing at the
   run's cluster and ``BBASE_TEST_TEMPLATE=mut_current``: ``tests/conftest.py``
   then clones its databases from the mutated database instead of migrating.

A failing run *kills* the mutant, a passing one lets it *survive*, a run over
the time limit is a *timeout* (counted as killed: the mutant made the tests
hang). Before any mutant, every mapped test file runs once on the unmutated
database (the baseline, ``Runner.baseline``): a file with a failing test there
is left out of every mutant's run (and reported), so that no mutant is counted
as killed by a test that fails anyway. The baseline also times each file: a
mutant's time limit is a multiple of its files' baseline time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from bbase_workshop.mutate.operators import Mutant, mask

BASE_DB = "mut_base"
CURRENT_DB = "mut_current"


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed | survived | timeout | stillborn | error | no-tests | equivalent
    seconds: float
    detail: str = ""


#: The project's tests minus those marked slow (full real Zengin snapshots).
PROJECT_PYTEST_ARGS = ("-m", "not slow", "-o", "addopts=--strict-markers")


def run_pytest(tests: Sequence[str], env: dict[str, str], cwd: Path, timeout: float,
               args: Sequence[str] = ()) -> tuple[str, float, str]:
    """``pytest -x`` on ``tests``: (killed | survived | timeout | error, seconds, and the
    first FAILED/ERROR line or the last line)."""
    cmd = [sys.executable, "-m", "pytest", *tests, "-x", "-q", "-p", "no:cacheprovider",
           "--no-header", *args]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "timeout", time.monotonic() - start, f"over {timeout:.0f}s"
    except BaseException:  # ^C or SIGTERM: the test run goes with the harness
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    seconds = time.monotonic() - start
    lines = [ln for ln in out.splitlines() if ln.strip()]
    last = lines[-1] if lines else ""
    if proc.returncode == 0:
        return "survived", seconds, last
    if proc.returncode == 1:
        failed = next((ln for ln in lines if ln.startswith(("FAILED", "ERROR"))), last)
        return "killed", seconds, failed
    return "error", seconds, f"pytest exit {proc.returncode}: {last}"


def _recreate(admin_dsn: str, name: str, template: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)))


def apply_mutant(dsn: str, mutant: Mutant, root: Path) -> str | None:
    """Apply ``mutant`` to the database at ``dsn``; None, or why PostgreSQL refused it."""
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(mutant.text)  # type: ignore[arg-type]
            if not mutant.relpath.startswith(("check:", "grant:")):
                name = Path(mutant.relpath).stem
                post_install = root / "sql" / "post_install"
                posts = sorted(post_install.rglob("*.sql")) if post_install.is_dir() else []
                for post in posts:
                    rel = post.relative_to(root).as_posix()
                    if rel != mutant.relpath and name in mask(post.read_text("utf-8"))[0]:
                        conn.execute(post.read_text("utf-8"))  # type: ignore[arg-type]
    except psycopg.Error as e:
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"
    return None


def snapshot_checkout(root: Path, into: Path, tests_at: str | None = None) -> Path:
    """A checkout to run the tests from, whose ``tests/`` cannot change under the run:
    every top-level entry of ``root`` linked, ``tests/`` copied from the working tree
    or, with ``tests_at``, exported from that git revision (a "before" score) with
    today's ``tests/conftest.py`` (the hook that points the tests at the mutant)."""
    into.mkdir(parents=True)
    for entry in root.iterdir():
        if entry.name not in ("tests", ".git", ".local"):
            (into / entry.name).symlink_to(entry)
    if tests_at:
        archive = subprocess.run(["git", "-C", str(root), "archive", tests_at, "tests"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
        # The fixtures' hook that makes the tests use the mutated database: always today's.
        shutil.copy2(root / "tests" / "conftest.py", into / "tests" / "conftest.py")
    else:
        shutil.copytree(root / "tests", into / "tests",
                        ignore=shutil.ignore_patterns("__pycache__"))
    if "BBASE_TEST_TEMPLATE" not in (into / "tests" / "conftest.py").read_text("utf-8"):
        raise RuntimeError("tests/conftest.py does not read BBASE_TEST_TEMPLATE: the tests"
                           " would migrate their own database and never see a mutant")
    return into


class Runner:
    """One throwaway cluster, one migrated base database, mutants one at a time.
    ``root`` is the checkout the mutants come from; ``workdir`` the one the tests
    run in (``snapshot_checkout``)."""

    def __init__(self, root: Path, admin_dsn: str, dsn_for, timeout_factor: float = 3.0,
                 min_timeout: float = 120.0, workdir: Path | None = None,
                 confirm_kills: bool = False) -> None:
        self.root = root
        self.workdir = workdir or root
        self.admin_dsn = admin_dsn
        self.dsn_for = dsn_for
        self.timeout_factor = timeout_factor
        self.min_timeout = min_timeout
        self.seconds: dict[str, float] = {}
        self.broken: set[str] = set()
        self.confirm_kills = confirm_kills
        self.confirmed: set[str] = set()

    def prepare(self) -> None:
        from bbase import migrate as mig

        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))  # the tests' login roles: tests/pg.py
        from tests.pg import create_logins

        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(BASE_DB)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BASE_DB)))
        mig.migrate(self.dsn_for(BASE_DB))
        create_logins(self.admin_dsn)

    def check_constraints(self) -> list[tuple[str, str, str]]:
        """(table, constraint, definition) of every CHECK the migrations made."""
        with psycopg.connect(self.dsn_for(BASE_DB)) as conn:
            return [tuple(r) for r in conn.execute("""
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                FROM pg_constraint AS c
                JOIN pg_class AS r ON r.oid = c.conrelid
                JOIN pg_namespace AS n ON n.oid = r.relnamespace
                WHERE c.contype = 'c' AND c.conislocal AND NOT r.relispartition
                  AND (n.nspname IN ('bbase', 'zengin', 'zengin_sync', 'ses_common',
                                     'ses_archive', 'ses_monitoring')
                       OR n.nspname LIKE '%\\_context')
                ORDER BY 1, 2""")]

    def grant_rows(self) -> list[tuple[str, str, str, str, str | None]]:
        """(schema, table, role, privilege, columns) of every row of ses_common.table_grants."""
        with psycopg.connect(self.dsn_for(BASE_DB)) as conn:
            if conn.execute("SELECT to_regclass('ses_common.table_grants')").fetchone()[0] is None:
                return []
            return [tuple(r) for r in conn.execute("""
                SELECT schema_name, table_name, role_name, privilege,
                       array_to_string(column_names, ', ')
                FROM ses_common.table_grants ORDER BY 1, 2, 3, 4""")]

    def _env(self, template: str) -> dict[str, str]:
        return {"PG_TEST_DSN": self.admin_dsn, "BBASE_TEST_TEMPLATE": template}

    def baseline(self, tests: Sequence[str]) -> set[str]:
        """Run ``tests`` once on the unmutated database, file by file; the files
        with a failing test (left out of the mutants' runs from now on)."""
        broken = set()
        for test in tests:
            status, seconds, last = run_pytest([test], self._env(BASE_DB), self.workdir, 1800,
                                               PROJECT_PYTEST_ARGS)
            self.seconds[test] = seconds
            if status != "survived":
                broken.add(test)
                why = "selects no test (all slow?)" if "exit 5" in last else "fails unmutated"
                print(f"mutate: baseline: {test} {why} ({last}); left out", flush=True)
        self.broken |= broken
        return broken

    def run_one(self, mutant: Mutant, tests: Sequence[str]) -> Outcome:
        tests = [t for t in tests if t not in self.broken]
        if not tests:
            return Outcome(mutant, "no-tests", 0.0, "no (green) test file names this object")
        start = time.monotonic()
        _recreate(self.admin_dsn, CURRENT_DB, BASE_DB)
        refused = apply_mutant(self.dsn_for(CURRENT_DB), mutant, self.root)
        if refused:
            return Outcome(mutant, "stillborn", time.monotonic() - start, refused)
        base_seconds = sum(self.seconds.get(t, 30.0) for t in tests)
        timeout = max(self.min_timeout, self.timeout_factor * base_seconds)
        status, _, detail = run_pytest(tests, self._env(CURRENT_DB), self.workdir, timeout,
                                       PROJECT_PYTEST_ARGS)
        if status == "killed" and self.confirm_kills and not self._passes_unmutated(detail):
            # The test that "killed" it fails without the mutant too: its file is left
            # out from now on and the mutant runs again without it.
            again = self.run_one(mutant, tests)
            return Outcome(mutant, again.status, time.monotonic() - start, again.detail)
        return Outcome(mutant, status, time.monotonic() - start, detail)

    def _passes_unmutated(self, detail: str) -> bool:
        """The lazy baseline (``confirm_kills``): does the test named in a kill's
        ``FAILED``/``ERROR`` line pass on the unmutated database? If not, its file
        goes to ``broken``. A line naming no test counts as confirmed only if
        the whole file run was not a collection error."""
        head = detail.split(" - ")[0].split(" ", 1)
        if len(head) != 2 or "::" not in head[1]:
            return True
        node = head[1].strip()
        if node in self.confirmed:
            return True
        status, _, last = run_pytest([node], self._env(BASE_DB), self.workdir, 600,
                                     PROJECT_PYTEST_ARGS)
        if status == "survived":
            self.confirmed.add(node)
            return True
        test_file = node.split("::")[0]
        self.broken.add(test_file)
        print(f"mutate: {node} fails unmutated ({last}); {test_file} left out", flush=True)
        return False
