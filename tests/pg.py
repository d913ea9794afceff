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
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


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
