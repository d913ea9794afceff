"""Schema installation: versioned migrations (yoyo) plus replaceable objects.

Two kinds of DDL live in this project:

* ``migrations/``: versioned, one-way-with-rollback yoyo migrations for
  everything that holds data (schemas, tables, partitions, indexes, roles).
  Migrations up to the release mark (first line of ``migrations/RELEASED``)
  have shipped and are frozen: :func:`released_drift` reports any edit,
  removal or renumbering of them, and :func:`write_release_manifest` moves
  the mark at a release.
* ``sql/``: replaceable objects, one per file (functions, triggers, views,
  policies, schema-level grants, post-install calls). Each file is idempotent
  (``CREATE OR REPLACE``, ``DROP … IF EXISTS`` + ``CREATE``).

Replay order. Every replaceable file may rely on every migration having been
applied. Beyond that, a file states what else it needs in its header comment::

    -- requires: sql/functions/zengin/item_key.sql, sql/functions/zengin/item_record.sql

(one or more such lines before the first statement, paths from the
repository root as :attr:`ReplaceableFile.relpath` spells them). The replay
order is a topological sort of those declarations, ties broken by path; a
requirement that names no file, or a cycle, stops the replay with one line
naming the file (:class:`ReplayOrderError`). Nothing else is implied: the
folder (kind) of a file does not order it, and a schema's
``sql/schemas/<schema>.sql`` does not come first (the schema is made by its
migration; the schema file only comments on it and grants on the tables
migrations made).

yoyo runs its ``post-apply`` hooks only when at least one migration is
pending, so a changed function would never reach an already-migrated
database through ``yoyo apply`` alone. ``bbase migrate`` therefore always
runs :func:`apply_replaceable` after yoyo, and the ``post-apply`` hook calls
the same function so that a DBA's plain ``yoyo apply`` also installs them when
migrations are pending.

Replaying a policy or a trigger takes a strong lock, so files are replayed
only when they changed. The record of what was replayed
(``bbase.replaceable_objects``) is keyed to the set of applied migrations:
after any migration or rollback, everything is replayed once.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from yoyo import get_backend, read_migrations

from bbase.config import ConfigError, describe_dsn, pool_mode_of
from bbase.connection import connect


def _data_dir(name: str) -> Path:
    """``migrations/`` or ``sql/``: package data in a wheel, the checkout's folder otherwise."""
    package = Path(__file__).resolve().parent
    for base in (package, package.parent.parent):
        if (base / name).is_dir():
            return base / name
    raise FileNotFoundError(f"bbase: {name}/ is missing from {package}: reinstall the package")


MIGRATIONS_DIR = _data_dir("migrations")
SQL_DIR = _data_dir("sql")
#: The folders under ``sql/`` that hold replaceable files. They sort files for
#: the reader only: the replay order comes from ``-- requires:`` headers.
KINDS = ("schemas", "functions", "triggers", "views", "policies", "post_install")
#: The header line that declares what a replaceable file needs before it runs.
REQUIRES = "-- requires:"


class ReplayOrderError(ValueError):
    """The ``-- requires:`` headers under ``sql/`` name a missing file or form a cycle."""


@dataclass(frozen=True)
class ReplaceableFile:
    kind: str
    schema: str
    path: Path

    @property
    def relpath(self) -> str:
        return "sql/" + self.path.relative_to(SQL_DIR).as_posix()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @property
    def requires(self) -> tuple[str, ...]:
        """The paths this file's header declares with ``-- requires:``, in order."""
        return parse_requires(self.path.read_text(encoding="utf-8"), self.relpath)


def parse_requires(text: str, relpath: str) -> tuple[str, ...]:
    """The ``-- requires:`` paths of a file's header (its leading comment lines).

    A ``-- requires:`` line below the first statement would silently order
    nothing, so it is refused.
    """
    out: list[str] = []
    in_header = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if in_header and stripped and not stripped.startswith("--"):
            in_header = False
        if not stripped.lower().startswith(REQUIRES):
            continue
        if not in_header:
            raise ReplayOrderError(
                f"{relpath}:{number}: '{REQUIRES}' must be in the header comment, "
                "before the first statement")
        out.extend(p.strip() for p in stripped[len(REQUIRES):].split(",") if p.strip())
    return tuple(out)


def replay_order(
    files: Sequence[ReplaceableFile],
    tie_break: Callable[[ReplaceableFile], Any] | None = None,
) -> list[ReplaceableFile]:
    """``files`` sorted so every file comes after what it requires.

    Among files whose requirements are all placed, the one with the smallest
    ``tie_break`` key comes first (default: its path), so the order is stable.
    Raises :class:`ReplayOrderError` naming the file when a requirement is not
    among ``files`` or when requirements form a cycle.
    """
    key = tie_break or (lambda f: f.relpath)
    by_path = {f.relpath: f for f in files}
    needs: dict[str, set[str]] = {}
    for f in files:
        wanted = f.requires
        for req in wanted:
            if req not in by_path:
                raise ReplayOrderError(
                    f"{f.relpath}: requires {req}, which is not a file under sql/ "
                    "(spell it from the repository root, e.g. sql/functions/zengin/item_key.sql)")
            if req == f.relpath:
                raise ReplayOrderError(f"{f.relpath}: requires itself")
        needs[f.relpath] = set(wanted)
    users: dict[str, list[str]] = {p: [] for p in by_path}
    for path, reqs in needs.items():
        for req in reqs:
            users[req].append(path)
    waiting = {p: len(reqs) for p, reqs in needs.items()}
    ready = [(key(by_path[p]), p) for p, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    out: list[ReplaceableFile] = []
    while ready:
        _, path = heapq.heappop(ready)
        out.append(by_path[path])
        for user in users[path]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, (key(by_path[user]), user))
    if len(out) < len(files):
        raise ReplayOrderError(_describe_cycle(needs, {f.relpath for f in out}))
    return out


def _describe_cycle(needs: dict[str, set[str]], placed: set[str]) -> str:
    """One line naming a cycle among the files that could not be placed."""
    # Every unplaced file requires at least one unplaced file, so walking from
    # the smallest unplaced path always comes back to a file already visited.
    path = min(p for p in needs if p not in placed)
    seen: list[str] = []
    while path not in seen:
        seen.append(path)
        path = min(r for r in needs[path] if r not in placed)
    cycle = [*seen[seen.index(path):], path]
    return f"{cycle[0]}: requires cycle " + " -> ".join(cycle)


def _discover() -> list[ReplaceableFile]:
    """Every file under ``sql/<kind>/``, by path."""
    out: list[ReplaceableFile] = []
    for kind in KINDS:
        base = SQL_DIR / kind
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.sql")):
            rel = path.relative_to(base)
            schema = rel.stem if len(rel.parts) == 1 else rel.parts[0]
            out.append(ReplaceableFile(kind, schema, path))
    return out


def replaceable_files(schemas: Iterable[str] | None = None) -> list[ReplaceableFile]:
    """Files under ``sql/`` in replay order (:func:`replay_order`).

    Layout: ``sql/schemas/<schema>.sql`` and ``sql/<kind>/<schema>/<name>.sql``.
    With ``schemas`` given, only those schemas' files are returned (used to
    install one bounded context alone); the order is still checked over all
    files, so a broken ``-- requires:`` fails every install alike.
    """
    wanted = set(schemas) if schemas is not None else None
    return [f for f in replay_order(_discover()) if wanted is None or f.schema in wanted]


def yoyo_uri(dsn: str) -> str:
    """yoyo needs the psycopg 3 backend spelled out in the URI scheme."""
    for prefix in ("postgresql://", "postgres://"):
        if dsn.startswith(prefix):
            return "postgresql+psycopg://" + dsn[len(prefix):]
    if "://" not in dsn:
        raise ValueError(f"DATABASE_URL must be a URI (postgresql://…), got {dsn!r}")
    return dsn


def _migration_state(conn: psycopg.Connection) -> str:
    row = conn.execute(
        "SELECT coalesce(md5(string_agg(migration_hash, ',' ORDER BY migration_hash)), '') "
        "FROM public._yoyo_migration"
    ).fetchone()
    return row[0] if row else ""


def apply_replaceable(
    conn: psycopg.Connection, schemas: Iterable[str] | None = None, force: bool = False
) -> list[str]:
    """Replay changed replaceable objects in one transaction; return their paths."""
    files = replaceable_files(schemas)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('bbase.apply_replaceable'))")
        has_registry = conn.execute(
            "SELECT to_regclass('bbase.replaceable_objects') IS NOT NULL"
        ).fetchone()[0]
        state = _migration_state(conn)
        known: dict[str, str] = {}
        if has_registry and not force:
            known = {
                p: h
                for p, h in conn.execute(
                    "SELECT path, sha256 FROM bbase.replaceable_objects WHERE migration_state = %s",
                    (state,),
                )
            }
        replayed: list[str] = []
        for f in files:
            digest = f.sha256
            if known.get(f.relpath) == digest:
                continue
            try:
                conn.execute(f.path.read_text(encoding="utf-8"))  # type: ignore[arg-type]
            except psycopg.Error as exc:
                raise RuntimeError(f"{f.relpath}: {exc}") from exc
            replayed.append(f.relpath)
            if has_registry:
                conn.execute(
                    "INSERT INTO bbase.replaceable_objects (path, sha256, migration_state) "
                    "VALUES (%s, %s, %s) ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256,"
                    " migration_state = excluded.migration_state, applied_at = now()",
                    (f.relpath, digest, state),
                )
        if has_registry:
            conn.execute(
                "UPDATE bbase.replaceable_objects SET migration_state = %s", (state,)
            )
    return replayed


@contextmanager
def _backend(dsn: str) -> Iterator[Any]:
    """A yoyo backend whose connection is closed afterwards (templates need that).

    Migrations need a session of their own (yoyo's lock and its migration transactions,
    prepared statements, the replay): never through a transaction pooler.
    """
    if pool_mode_of(dsn) == "transaction":
        raise ConfigError(f"bbase migrate needs a session of its own, and {describe_dsn(dsn)} "
                          "goes through a transaction pooler: connect to the server itself "
                          "(DATABASE_DIRECT_URL)")
    backend = get_backend(yoyo_uri(dsn))
    try:
        yield backend
    finally:
        backend.connection.close()


def _migrations(only: Iterable[str] | None = None):
    migrations = read_migrations(str(MIGRATIONS_DIR))
    if only is None:
        return migrations
    prefixes = tuple(only)
    return migrations.filter(lambda m: m.id.startswith(prefixes))


def migrate(dsn: str, only: Iterable[str] | None = None,
            schemas: Iterable[str] | None = None) -> tuple[list[str], list[str]]:
    """Apply pending migrations, then replay changed replaceable objects.

    ``only`` restricts migrations to ids starting with one of the prefixes;
    ``schemas`` restricts replaceable objects to those schemas.
    Returns (applied migration ids, replayed object paths).
    """
    migrations = _migrations(only)
    if only is not None or schemas is not None:
        # The post-apply hook replays every sql/ file; for a subset install the
        # replay below, restricted to ``schemas``, does that job instead.
        migrations.post_apply = []
    with _backend(dsn) as backend, backend.lock():
        pending = backend.to_apply(migrations)
        applied = [m.id for m in pending]
        backend.apply_migrations(pending)
    with connect(dsn, session=True, autocommit=True, application_name="bbase migrate") as conn:
        if only is not None and schemas is None:
            # A subset of migrations: replay the objects of the schemas it installed.
            schemas = [r[0] for r in conn.execute("SELECT nspname FROM pg_catalog.pg_namespace")]
        replayed = apply_replaceable(conn, schemas)
    return applied, replayed


def rollback(dsn: str, count: int | None = None) -> list[str]:
    """Roll back the last ``count`` migrations (all when None)."""
    with _backend(dsn) as backend, backend.lock():
        to_roll = backend.to_rollback(_migrations())
        if count is not None:
            to_roll = to_roll[:count]
        ids = [m.id for m in to_roll]
        backend.rollback_migrations(to_roll)
    return ids


def status(dsn: str) -> list[tuple[str, bool]]:
    with _backend(dsn) as backend:
        applied = set(backend.get_applied_migration_hashes())
        return [(m.id, m.hash in applied) for m in _migrations()]


#: The release mark: its first line is the id of the newest released
#: migration; then ``<sha256>  <file>`` (the layout ``sha256sum`` writes and
#: checks) for every migration and rollback file numbered at or below it.
RELEASED_MANIFEST = "RELEASED"
_NUMBERED = re.compile(r"^(\d+)_.*\.sql$")


def _released_zone(migrations_dir: Path, mark: str) -> dict[str, Path]:
    """Migration and rollback files numbered at or below ``mark``'s number, by name."""
    match = _NUMBERED.match(mark + ".sql")
    if match is None:
        raise ValueError(f"release mark {mark!r} is not a migration id (NNNN_<area>_<what>)")
    limit = int(match.group(1))
    return {
        p.name: p for p in sorted(migrations_dir.iterdir())
        if (m := _NUMBERED.match(p.name)) and int(m.group(1)) <= limit
    }


def release_manifest(mark: str, migrations_dir: Path = MIGRATIONS_DIR) -> str:
    """The text of ``migrations/RELEASED`` for a release whose newest migration is ``mark``."""
    if not (migrations_dir / f"{mark}.sql").is_file():
        raise ValueError(f"release mark {mark!r}: no {mark}.sql in {migrations_dir}")
    lines = [mark] + [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {name}"
        for name, p in _released_zone(migrations_dir, mark).items()
    ]
    return "\n".join(lines) + "\n"


def write_release_manifest(mark: str, migrations_dir: Path = MIGRATIONS_DIR) -> Path:
    """Move the release mark to ``mark``: rewrite ``migrations/RELEASED``.

    Run it when a release lands, with the id of the newest migration it ships:
    ``python -c "from bbase.migrate import write_release_manifest as w; w('0180_…')"``.
    """
    target = migrations_dir / RELEASED_MANIFEST
    target.write_text(release_manifest(mark, migrations_dir), encoding="utf-8")
    return target


def released_drift(migrations_dir: Path = MIGRATIONS_DIR) -> tuple[str, list[str]]:
    """The release mark and how the released migrations differ from the manifest.

    Each problem is one line naming the file: a released file edited or gone
    (removed or renumbered), or a file numbered at or below the mark that was
    not released (added or renumbered into released history). An empty list
    means the released migrations are exactly as shipped.
    """
    text = (migrations_dir / RELEASED_MANIFEST).read_text(encoding="utf-8")
    mark, *entries = text.splitlines()
    shipped: dict[str, str] = {}
    for entry in entries:
        digest, _, name = entry.partition("  ")
        shipped[name] = digest
    present = _released_zone(migrations_dir, mark)
    problems: list[str] = []
    for name, digest in shipped.items():
        if name not in present:
            problems.append(f"{name}: released, now missing (removed or renumbered)")
        elif hashlib.sha256(present[name].read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: released, since edited")
    for name in present:
        if name not in shipped:
            problems.append(f"{name}: numbered at or below the release mark {mark}, never released")
    return mark, problems
