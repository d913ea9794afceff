"""The replay order of sql/ comes from the files' ``-- requires:`` headers, and only from them.

Two checks against a real database, both starting from every migration
applied and no sql/ file replayed:

* each file installs after only what it requires (its declared closure), in
  a transaction rolled back afterwards: a missing ``-- requires:`` line for
  anything a file needs at creation fails here, whatever the names sort to;
* the whole sql/ tree installed in several shuffled orders (the topological
  sort breaking ties by shuffled position, not by name) yields the same
  schema and privileges as the normal order.

The unit tests at the end prove the sort's own errors.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bbase import migrate as mig
from tests.foundation.catalog import privileges_dump, schema_dump
from tests.pg import PgServer

SEEDS = (1, 2, 3, 4, 5)


@pytest.fixture(scope="module")
def migrated_only(pg: PgServer) -> Iterator[str]:
    """A template database: every migration applied, no sql/ file replayed."""
    name = pg.create_db()
    mig.migrate(pg.dsn_for(name), schemas=[])  # ``schemas=[]`` replays nothing
    yield name
    pg.drop_db(name)


@pytest.fixture
def clone(pg: PgServer, migrated_only: str) -> Iterator[str]:
    name = pg.create_db(template=migrated_only)
    try:
        yield pg.dsn_for(name)
    finally:
        pg.drop_db(name)


def _install(conn: psycopg.Connection, files: list[mig.ReplaceableFile]) -> None:
    for f in files:
        try:
            conn.execute(f.path.read_text(encoding="utf-8"))  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise AssertionError(f"{f.relpath}: {exc}".splitlines()[0]) from exc


def _closure(f: mig.ReplaceableFile, by_path: dict[str, mig.ReplaceableFile]) -> set[str]:
    todo, seen = list(f.requires), set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(by_path[path].requires)
    return seen


def _shuffled_order(seed: int) -> list[mig.ReplaceableFile]:
    files = mig.replaceable_files()
    random.Random(seed).shuffle(files)
    position = {f.relpath: i for i, f in enumerate(files)}
    return mig.replay_order(files, tie_break=lambda f: position[f.relpath])


def test_each_sql_file_installs_after_only_what_it_requires(clone: str) -> None:
    files = mig.replaceable_files()
    by_path = {f.relpath: f for f in files}
    failures: list[str] = []
    with psycopg.connect(clone) as conn:
        for f in files:
            needed = _closure(f, by_path)
            prefix = [g for g in files if g.relpath in needed]
            try:
                with conn.transaction(force_rollback=True):
                    _install(conn, [*prefix, f])
            except AssertionError as exc:
                failures.append(f"{f.relpath} after {sorted(needed) or 'nothing'}: {exc}")
    assert failures == [], (
        "a file fails after only its declared requirements; add the missing "
        "'-- requires:' line to its header:\n" + "\n".join(failures))


@pytest.fixture(scope="module")
def normal_catalog(pg: PgServer, migrated_only: str) -> Iterator[tuple[str, str]]:
    """Schema and privileges after the normal replay (``bbase migrate``'s own path)."""
    name = pg.create_db(template=migrated_only)
    dsn = pg.dsn_for(name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        mig.apply_replaceable(conn)
    yield schema_dump(dsn), privileges_dump(dsn)
    pg.drop_db(name)


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffled_replay_order_yields_the_same_catalog(
    seed: int, clone: str, normal_catalog: tuple[str, str]
) -> None:
    order = _shuffled_order(seed)
    assert [f.relpath for f in order] != [f.relpath for f in mig.replaceable_files()], \
        "the shuffle must actually change the order"
    with psycopg.connect(clone) as conn, conn.transaction():
        _install(conn, order)
    for shuffled, normal in zip((schema_dump(clone), privileges_dump(clone)), normal_catalog,
                                strict=True):
        diff = list(difflib.unified_diff(normal.splitlines(), shuffled.splitlines(), "normal",
                                         f"shuffled (seed {seed})", lineterm="", n=1))
        assert diff == [], "the result depends on replay order; a '-- requires:' is missing:\n" + \
            "\n".join(diff[:60])


def test_shuffled_orders_still_respect_every_requirement() -> None:
    for seed in SEEDS:
        order = [f.relpath for f in _shuffled_order(seed)]
        for f in mig.replaceable_files():
            for req in f.requires:
                assert order.index(req) < order.index(f.relpath), (seed, f.relpath, req)


# --- the sort itself, on files in a temporary folder ---------------------------------


def _files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           texts: dict[str, str]) -> list[mig.ReplaceableFile]:
    monkeypatch.setattr(mig, "SQL_DIR", tmp_path)
    out = []
    for rel, text in texts.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        kind, schema = Path(rel).parts[:2]
        out.append(mig.ReplaceableFile(kind, schema, path))
    return out


def test_requirement_comes_first_whatever_the_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path, monkeypatch, {
        "functions/s/a.sql": "-- requires: sql/views/s/z.sql, sql/functions/s/b.sql\nSELECT 1;\n",
        "functions/s/b.sql": "-- requires: sql/views/s/z.sql\n-- Why: x\nSELECT 1;\n",
        "functions/s/c.sql": "SELECT 1;\n",
        "views/s/z.sql": "-- Why: x\nSELECT 1;\n",
    })
    order = [f.relpath for f in mig.replay_order(files)]
    assert order == ["sql/functions/s/c.sql", "sql/views/s/z.sql",
                     "sql/functions/s/b.sql", "sql/functions/s/a.sql"]


def test_missing_requirement_is_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path, monkeypatch, {
        "functions/s/a.sql": "-- requires: sql/functions/s/gone.sql\nSELECT 1;\n",
        "functions/s/b.sql": "SELECT 1;\n",
    })
    with pytest.raises(mig.ReplayOrderError) as caught:
        mig.replay_order(files)
    message = str(caught.value)
    assert message.startswith("sql/functions/s/a.sql: requires sql/functions/s/gone.sql")
    assert "\n" not in message


def test_requirement_cycle_is_refused_naming_the_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path, monkeypatch, {
        "functions/s/a.sql": "-- requires: sql/functions/s/b.sql\nSELECT 1;\n",
        "functions/s/b.sql": "-- requires: sql/functions/s/c.sql\nSELECT 1;\n",
        "functions/s/c.sql": "-- requires: sql/functions/s/a.sql\nSELECT 1;\n",
        "functions/s/d.sql": "-- requires: sql/functions/s/a.sql\nSELECT 1;\n",
    })
    with pytest.raises(mig.ReplayOrderError) as caught:
        mig.replay_order(files)
    assert str(caught.value) == (
        "sql/functions/s/a.sql: requires cycle sql/functions/s/a.sql -> sql/functions/s/b.sql"
        " -> sql/functions/s/c.sql -> sql/functions/s/a.sql")


def test_requires_below_the_first_statement_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path, monkeypatch, {
        "functions/s/a.sql": "-- Why: x\nSELECT 1;\n-- requires: sql/functions/s/b.sql\n",
        "functions/s/b.sql": "SELECT 1;\n",
    })
    with pytest.raises(mig.ReplayOrderError, match=r"^sql/functions/s/a\.sql:3: "):
        mig.replay_order(files)
