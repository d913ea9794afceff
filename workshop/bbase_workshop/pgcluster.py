"""A project-local PostgreSQL 15 cluster started from the local binaries.

Used by the embedded default (``bbase demo``) and by the test suite when no
Docker engine and no ``PG_TEST_DSN`` are available. ``initdb`` and
``postgres`` refuse to run as root, so when we are root they run as the
``postgres`` OS user, on a data directory that user owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bbase_workshop import LOCAL

if TYPE_CHECKING:
    from bbase.config import Endpoint

PG_BIN = Path(os.environ.get("BBASE_PG_BIN", "/usr/lib/postgresql/15/bin"))


class ClusterError(RuntimeError):
    """The local cluster could not be created or started."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() != 0:
        return
    pw = pwd.getpwnam("postgres")
    for p in [path, *path.rglob("*")]:
        os.chown(p, pw.pw_uid, pw.pw_gid)


@dataclass
class LocalCluster:
    """A cluster living in ``datadir``, listening on 127.0.0.1:``port``."""

    datadir: Path
    port: int
    #: False (the default) trades durability for speed: fsync, synchronous
    #: commit and full-page writes off. True keeps PostgreSQL's own defaults,
    #: as a production server (or RDS) runs.
    durable: bool = False

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def dsn_for(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    @property
    def logfile(self) -> Path:
        return self.datadir.parent / "postgres.log"

    def init(self) -> None:
        if (self.datadir / "PG_VERSION").exists():
            return
        if not (PG_BIN / "initdb").exists():
            raise ClusterError(f"PostgreSQL 15 binaries not found in {PG_BIN}; run ./dev setup")
        self.datadir.mkdir(parents=True, exist_ok=True)
        _chown_to_postgres(self.datadir.parent)
        subprocess.run(
            _as_owner([str(PG_BIN / "initdb"), "-D", str(self.datadir), "-U", "postgres",
                       "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-N"]),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        conf = self.datadir / "postgresql.conf"
        with conf.open("a") as f:
            f.write(
                "\n# bbase local cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.datadir}'\n"
                "max_connections = 200\nshared_buffers = 256MB\n"
                "max_locks_per_transaction = 256\n"
            )
            if not self.durable:
                f.write("# throwaway: tuned for speed, not durability\n"
                        "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")

    def is_running(self) -> bool:
        r = subprocess.run(
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return r.returncode == 0

    def start(self) -> None:
        self.init()
        if self.is_running():
            return
        self.logfile.touch()
        _chown_to_postgres(self.logfile)
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.logfile),
                       "-o", f"-p {self.port}", "-w", "-t", "60", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not self.is_running():
            if time.monotonic() > deadline:
                raise ClusterError(f"cluster did not start; see {self.logfile}")
            time.sleep(0.1)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``mode="immediate"`` is a crash: the next start recovers."""
        if (self.datadir / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", mode,
                           "-w", "stop"]),
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def project_cluster() -> LocalCluster:
    """The embedded default: ``.local/pg`` in the checkout, on a remembered port."""
    base = LOCAL / "pg"
    port_file = LOCAL / "pg.port"
    if port_file.exists():
        port = int(port_file.read_text().strip())
    else:
        port = int(os.environ.get("BBASE_LOCAL_PG_PORT", "0")) or free_port()
        port_file.parent.mkdir(parents=True, exist_ok=True)
        port_file.write_text(str(port))
    return LocalCluster(datadir=base / "data", port=port)


def current_database() -> str:
    """The database ``bbase --local`` points at: the demo's after ``bbase demo``, else ``bbase``."""
    marker = LOCAL / "pg.database"
    return marker.read_text().strip() if marker.exists() else "bbase"


def set_current_database(dbname: str) -> None:
    (LOCAL / "pg.database").parent.mkdir(parents=True, exist_ok=True)
    (LOCAL / "pg.database").write_text(dbname + "\n")


def local_dsn() -> str:
    """Start the checkout's cluster (when it is not running) and return its current database,
    directly (``pooler.local_endpoint`` adds the pooler in front)."""
    cluster = project_cluster()
    cluster.start()
    dbname = current_database()
    ensure_database(cluster.dsn, dbname)
    return cluster.dsn_for(dbname)


def ensure_database(admin_dsn: str, dbname: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def workshop_dsn() -> str:
    """Where a workshop command (bench, seed) works: the configured database, else the local
    one; a session of its own (``DATABASE_DIRECT_URL`` behind a transaction pooler), since
    these commands migrate and create databases."""
    from dataclasses import replace

    from bbase.config import Settings, resolve_direct_dsn

    return resolve_direct_dsn(replace(Settings.from_env(), local=True), "bbase bench/seed")


def workshop_endpoint() -> Endpoint:
    """The configured database, else the local one, with its pool mode and direct DSN
    (``endpoint.dsn`` goes through the pooler when there is one)."""
    from dataclasses import replace

    from bbase.config import Settings, resolve_endpoint

    return resolve_endpoint(replace(Settings.from_env(), local=True))
