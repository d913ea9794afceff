"""Where the tests get a real PostgreSQL 15 from.

In order of preference:
1. ``PG_TEST_DSN``: a superuser DSN of a server the caller provides;
2. testcontainers' ``PostgresContainer("postgres:15")`` when a Docker engine answers;
3. a throwaway cluster started from the local PostgreSQL 15 binaries in a temp dir.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

if TYPE_CHECKING:
    from bbase_workshop.pooler import LocalPooler

#: Login roles of the tests, one per job: name -> the group role it is a member of
#: (None: a second superuser, a DBA writing the tables directly under another login).
#: Roles belong to the server, not to a database, so they are made once per session.
LOGINS: dict[str, str | None] = {
    "bbase_test_dba": None,
    "bbase_test_operator": "bbase_operator",
    "bbase_test_operator2": "bbase_operator",
    "bbase_test_reviewer": "bbase_reviewer",
    "bbase_test_sync": "bbase_sync",
    "bbase_test_readonly": "bbase_readonly",
}


def create_logins(admin_dsn: str) -> None:
    """Create the test login roles (LOGIN, member of their job's group role) if missing."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        for login, group in LOGINS.items():
            if conn.execute("SELECT FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER").format(
                    sql.Identifier(login)) if group is None else sql.SQL(
                    "CREATE ROLE {} LOGIN IN ROLE {}").format(
                    sql.Identifier(login), sql.Identifier(group)))


def login_dsn(dsn: str, login: str) -> str:
    """The same database, connecting as ``login`` (the test servers trust local logins)."""
    parts = urlsplit(dsn)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{login}@{host}"))


@contextlib.contextmanager
def as_login(conn: psycopg.Connection, login: str) -> Iterator[psycopg.Connection]:
    """Act as another database login on a superuser connection (``session_user``
    changes, unlike with ``SET ROLE``), inside the caller's transaction. After an
    error in a transaction the rollback undoes the switch."""
    conn.execute(sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(login)))
    try:
        yield conn
    finally:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
            conn.execute("RESET SESSION AUTHORIZATION")


@dataclass
class PgServer:
    admin_dsn: str
    kind: str
    _counter: list[int] = field(default_factory=lambda: [0])

    def dsn_for(self, dbname: str) -> str:
        parts = urlsplit(self.admin_dsn)
        return urlunsplit(parts._replace(path="/" + dbname))

    def create_db(self, name: str | None = None, template: str | None = None) -> str:
        if name is None:
            self._counter[0] += 1
            name = f"t_{os.getpid()}_{self._counter[0]}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            if template:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)))
            else:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_db(self, name: str) -> None:
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@contextlib.contextmanager
def pooler_in_front(server: PgServer, pool_size: int) -> Iterator[LocalPooler]:
    """A PgBouncer in transaction mode in front of ``server`` (bbase_workshop.pooler), with
    ``pool_size`` server connections per (database, user): the tests of what must hold
    behind a transaction pooler. Skips when PgBouncer is not installed."""
    import pytest

    from bbase_workshop.pooler import PGBOUNCER, pgbouncer_installed, pooler_for_dsn

    if not pgbouncer_installed():
        pytest.skip(f"PgBouncer is not installed ({PGBOUNCER}; the Debian package pgbouncer,"
                    " which ./dev test installs)")
    base = Path(tempfile.mkdtemp(prefix="bbase-test-pgbouncer-"))
    os.chmod(base, 0o755)  # PgBouncer runs as the postgres OS user when we are root
    pooler = pooler_for_dsn(server.admin_dsn, base / "pgbouncer")
    pooler.pool_size = pool_size
    pooler.start()
    try:
        yield pooler
    finally:
        pooler.destroy()
        base.rmdir()


def _docker_available() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
        client.ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def pg_server() -> Iterator[PgServer]:
    dsn = os.environ.get("PG_TEST_DSN")
    if dsn:
        yield PgServer(dsn, "PG_TEST_DSN")
        return
    if os.environ.get("BBASE_TEST_NO_DOCKER") != "1" and _docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15", driver=None) as pgc:
            yield PgServer(pgc.get_connection_url(), "testcontainers")
        return
    from bbase_workshop.pgcluster import LocalCluster, free_port

    base = Path(tempfile.mkdtemp(prefix="bbase-test-pg-"))
    os.chmod(base, 0o755)
    cluster = LocalCluster(datadir=base / "data", port=free_port())
    cluster.start()
    try:
        yield PgServer(cluster.dsn, "local-binaries")
    finally:
        cluster.destroy()
