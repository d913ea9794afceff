"""Schema installation: versioned migrations (yoyo) plus replaceable objects.

Two kinds of DDL live in this project:

* ``migrations/``: versioned, one-way-with-rollback yoyo migrations for
  everything that holds data (schemas, tables, partitions, indexes, roles).
* ``sql/``: replaceable objects, one per file (functions, triggers, views,
  policies, schema-level grants). Each file is idempotent
  (``CREATE OR REPLACE``, ``DROP … IF EXISTS`` + ``CREATE``).

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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from yoyo import get_backend, read_migrations


def _data_dir(name: str) -> Path:
    """``migrations/`` or ``sql/``: package data in a wheel, the checkout's folder otherwise."""
    package = Path(__file__).resolve().parent
    for base in (package, package.parent.parent):
        if (base / name).is_dir():
            return base / name
    raise FileNotFoundError(f"bbase: {name}/ is missing from {package}: reinstall the package")


MIGRATIONS_DIR = _data_dir("migrations")
SQL_DIR = _data_dir("sql")
#: The replay order: a kind may depend on every kind before it.
KINDS = ("schemas", "functions", "triggers", "views", "policies", "post_install")


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


def replaceable_files(schemas: Iterable[str] | None = None) -> list[ReplaceableFile]:
    """Files under ``sql/`` in replay order.

    Layout: ``sql/schemas/<schema>.sql`` and ``sql/<kind>/<schema>/<name>.sql``.
    With ``schemas`` given, only those schemas' files are returned (used to
    install one bounded context alone).
    """
    wanted = set(schemas) if schemas is not None else None
    out: list[ReplaceableFile] = []
    for kind in KINDS:
        base = SQL_DIR / kind
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.sql")):
            rel = path.relative_to(base)
            schema = rel.stem if len(rel.parts) == 1 else rel.parts[0]
            if wanted is None or schema in wanted:
                out.append(ReplaceableFile(kind, schema, path))
    return out


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
    """A yoyo backend whose connection is closed afterwards (templates need that)."""
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
    with psycopg.connect(dsn, autocommit=True) as conn:
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
