"""A PgBouncer in transaction mode in front of a local cluster (the embedded default's pooler).

PostgreSQL gives every connection a backend process; a thousand of them on a small
machine spend their time switching and contending, not working. PgBouncer (the Debian
package ``pgbouncer``, 1.18 on Debian 12) takes thousands of client connections and
runs their transactions over a few server connections: in ``pool_mode = transaction``
a client owns a server connection from BEGIN to COMMIT only. Whatever a client leaves
on the session (``SET`` without LOCAL, session advisory locks, prepared statements, temp
tables that outlive a transaction) is found by the next client of that server
connection, which is why the glue sets per-transaction state only and its connections
through a pooler have psycopg's automatic prepared statements off
(``bbase.connect``, ``DATABASE_POOL_MODE=transaction``).

Authentication: the local cluster trusts every local login (``initdb --auth=trust``),
and so does the pooler (``auth_type = trust``). PgBouncer still wants to know a user
before it lets it in; rather than copying the cluster's roles into its ``auth_file``
when it starts (a role made later, such as the demo's operator or the tests' logins,
would be refused), it asks the cluster with ``auth_query`` as ``auth_user`` (the
cluster's superuser, listed in the ``auth_file``, which is also the admin console's
user). No password is written anywhere: there is none to write.

PgBouncer refuses to run as root; like the cluster, it runs as the ``postgres`` OS user
then, on files that user owns.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from bbase_workshop import LOCAL
from bbase_workshop.pgcluster import LocalCluster, _as_owner, _chown_to_postgres, free_port

if TYPE_CHECKING:
    from bbase.config import Endpoint

PGBOUNCER = Path(os.environ.get("BBASE_PGBOUNCER", "/usr/sbin/pgbouncer"))
#: The client connections the pooler accepts: the load targets (1,000 concurrent clients)
#: with room to spare.
MAX_CLIENT_CONN = 2000


class PoolerError(RuntimeError):
    """PgBouncer is missing, or could not be configured, started or reached."""


def pgbouncer_installed() -> bool:
    return PGBOUNCER.exists() and os.access(PGBOUNCER, os.X_OK)


def default_pool_size() -> int:
    """Server connections per (database, user) pool: ``2 × cores + 1``.

    Short OLTP transactions are CPU-bound on a server whose working set is in memory;
    PostgreSQL's throughput peaks when the active backends are about twice the cores
    (one running, one waiting on I/O, a lock or the network), the PostgreSQL wiki's
    ``(core_count * 2) + effective_spindle_count`` with one "spindle" for an SSD.
    More backends only add context switches and lock contention; fewer leave cores
    idle while a backend waits. Clients beyond the pool wait in PgBouncer's queue,
    which is cheap.
    """
    return 2 * (os.cpu_count() or 1) + 1


@dataclass
class LocalPooler:
    """PgBouncer listening on 127.0.0.1:``port``, forwarding to ``server_host:server_port``.

    Its files (``pgbouncer.ini``, ``userlist.txt``, pid and log) live in ``confdir``.
    """

    confdir: Path
    port: int
    server_port: int
    server_host: str = "127.0.0.1"
    #: The cluster's superuser: ``auth_user`` (asks the cluster who may log in) and the
    #: admin console's user (``SHOW POOLS``, ``SHOW STATS``, ``SHOW SERVERS``).
    admin_user: str = "postgres"
    #: Only when the server wants a password for ``admin_user`` (a Docker server).
    admin_password: str | None = None
    #: Server connections per (database, user) pool; see :func:`default_pool_size`.
    pool_size: int = field(default_factory=default_pool_size)
    #: Server connections per database over all its users' pools (0: no limit). It keeps
    #: many users' pools from exhausting the cluster's ``max_connections`` (200 locally,
    #: of which the direct connections of migrations and the sync need a few).
    max_db_connections: int = 150
    max_client_conn: int = MAX_CLIENT_CONN
    pool_mode: str = "transaction"

    # --- files -----------------------------------------------------------------------

    @property
    def ini(self) -> Path:
        return self.confdir / "pgbouncer.ini"

    @property
    def auth_file(self) -> Path:
        return self.confdir / "userlist.txt"

    @property
    def pidfile(self) -> Path:
        return self.confdir / "pgbouncer.pid"

    @property
    def logfile(self) -> Path:
        return self.confdir / "pgbouncer.log"

    # --- addresses -------------------------------------------------------------------

    def dsn_for(self, dbname: str, user: str | None = None) -> str:
        """A libpq URI for ``dbname`` as ``user`` (default: the admin user) through the pooler."""
        login = quote(user or self.admin_user, safe="")
        if user is None and self.admin_password:
            login += ":" + quote(self.admin_password, safe="")
        return f"postgresql://{login}@127.0.0.1:{self.port}/{quote(dbname, safe='')}"

    @property
    def dsn(self) -> str:
        return self.dsn_for("postgres")

    @property
    def admin_dsn(self) -> str:
        """The admin console (``SHOW POOLS`` …): the virtual database ``pgbouncer``."""
        return self.dsn_for("pgbouncer")

    def server_dsn_for(self, dbname: str, user: str | None = None) -> str:
        """The same database, directly on the server (a session of its own)."""
        login = quote(user or self.admin_user, safe="")
        if user is None and self.admin_password:
            login += ":" + quote(self.admin_password, safe="")
        return (f"postgresql://{login}@{self.server_host}:{self.server_port}/"
                f"{quote(dbname, safe='')}")

    # --- configuration ---------------------------------------------------------------

    def config_text(self) -> str:
        return f"""\
;; Generated by bbase_workshop.pooler (LocalPooler.write_config); edits are overwritten.
[databases]
;; Every database of the cluster, under its own name.
* = host={self.server_host} port={self.server_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
;; TCP only: no socket file in /tmp to collide with another checkout's pooler.
unix_socket_dir =
pidfile = {self.pidfile}
logfile = {self.logfile}

;; A client holds a server connection for one transaction: per-transaction state only
;; (set_config(..., true), SET LOCAL, pg_advisory_xact_lock, ON COMMIT DELETE ROWS).
pool_mode = {self.pool_mode}
max_client_conn = {self.max_client_conn}
;; 2 x cores + 1 server connections per (database, user): see default_pool_size().
default_pool_size = {self.pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_db_connections = {self.max_db_connections}
;; A server connection back in the pool is reset only in session mode; in transaction
;; mode nothing runs between two clients, so nothing may be left on the session.
server_reset_query = DISCARD ALL
server_reset_query_always = 0
server_check_delay = 10
server_idle_timeout = 60
;; A client waiting for a server connection longer than this gets an error, not a hang.
query_wait_timeout = 120

;; The local cluster trusts local logins; the pooler asks it who exists (module docstring).
auth_type = trust
auth_file = {self.auth_file}
auth_user = {self.admin_user}
auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = $1
admin_users = {self.admin_user}
stats_users = {self.admin_user}

;; psycopg sends extra_float_digits, pgbench -C may send options: accept and ignore them
;; (PgBouncer refuses unknown startup parameters otherwise).
ignore_startup_parameters = extra_float_digits,options

log_connections = 0
log_disconnections = 0
log_pooler_errors = 1
"""

    def auth_text(self) -> str:
        password = (self.admin_password or "").replace('"', '""')
        return f'"{self.admin_user}" "{password}"\n'

    def write_config(self) -> None:
        self.confdir.mkdir(parents=True, exist_ok=True)
        self.ini.write_text(self.config_text())
        self.auth_file.write_text(self.auth_text())
        os.chmod(self.auth_file, 0o600)
        self.logfile.touch()
        _chown_to_postgres(self.confdir)

    # --- running ---------------------------------------------------------------------

    def pid(self) -> int | None:
        """PgBouncer's process id, when its pidfile names a live process."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        try:  # a stale pidfile may name a process that is not ours any more
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            return None
        return pid if comm == "pgbouncer" else None

    def is_running(self) -> bool:
        return self.pid() is not None and self._answers()

    def _answers(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.admin_dsn, autocommit=True, connect_timeout=2) as conn:
                conn.execute("SHOW VERSION")
            return True
        except psycopg.Error:
            return False

    def start(self, timeout: float = 30) -> None:
        """Write the configuration and start PgBouncer daemonized (no-op when it runs)."""
        if self.is_running():
            if not self.ini.exists() or self.ini.read_text() != self.config_text():
                self.reload()
            return
        if not pgbouncer_installed():
            raise PoolerError(f"PgBouncer not found at {PGBOUNCER}; run ./dev setup "
                              "(Debian package pgbouncer)")
        self.write_config()
        # Every client and every server connection is a file descriptor. runuser's PAM
        # session (pam_limits) resets the soft limit, so it is raised inside, by the shell.
        files = _fd_limit(self.max_client_conn + 2 * self.max_db_connections + 64)
        done = subprocess.run(
            _as_owner(["/bin/sh", "-c", f'ulimit -Sn {files} && exec "$0" -d -q "$1"',
                       str(PGBOUNCER), str(self.ini)]),
            check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise PoolerError(f"pgbouncer did not start ({done.stderr.strip()}); "
                              f"see {self.logfile}")
        deadline = time.monotonic() + timeout
        while not self.is_running():
            if time.monotonic() > deadline:
                raise PoolerError(f"pgbouncer did not answer on port {self.port}; "
                                  f"see {self.logfile}")
            time.sleep(0.1)

    def stop(self, timeout: float = 10) -> None:
        """Stop PgBouncer: SIGINT (safe shutdown: waits for transactions), then SIGTERM."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + timeout
        while self.pid() is not None:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGTERM)
                deadline += timeout
            time.sleep(0.05)

    def reload(self) -> None:
        """Rewrite the configuration and make PgBouncer read it again (SIGHUP)."""
        self.write_config()
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGHUP)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.confdir, ignore_errors=True)

    def show(self, what: str) -> list[dict]:
        """The admin console's ``SHOW <what>`` (POOLS, STATS, SERVERS, CLIENTS …) as dicts."""
        import psycopg
        from psycopg.rows import dict_row

        if not what.replace("_", "").isalpha():
            raise ValueError(f"SHOW {what!r}: not an admin console command")
        with psycopg.connect(self.admin_dsn, autocommit=True, row_factory=dict_row) as conn:
            return conn.execute(f"SHOW {what.upper()}").fetchall()


def _fd_limit(wanted: int) -> int:
    """The open-files soft limit to give PgBouncer: ``wanted``, within the hard limit."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def pooler_for(cluster: LocalCluster, confdir: Path, port: int | None = None) -> LocalPooler:
    """A pooler in front of ``cluster``, its files in ``confdir``."""
    return LocalPooler(confdir=confdir, port=port or free_port(), server_port=cluster.port)


def pooler_for_dsn(admin_dsn: str, confdir: Path, port: int | None = None) -> LocalPooler:
    """A pooler in front of the server a superuser URI points at (the tests' server)."""
    parts = urlsplit(admin_dsn)
    return LocalPooler(confdir=confdir, port=port or free_port(),
                       server_host=parts.hostname or "127.0.0.1",
                       server_port=parts.port or 5432,
                       admin_user=unquote(parts.username or "postgres"),
                       admin_password=unquote(parts.password) if parts.password else None)


def project_pooler() -> LocalPooler:
    """The embedded default's pooler: ``.local/pgbouncer``, on a remembered port, in front
    of the checkout's cluster (``pgcluster.project_cluster``)."""
    from bbase_workshop.pgcluster import project_cluster

    port_file = LOCAL / "pgbouncer.port"
    if port_file.exists():
        port = int(port_file.read_text().strip())
    else:
        port = int(os.environ.get("BBASE_LOCAL_POOLER_PORT", "0")) or free_port()
        port_file.parent.mkdir(parents=True, exist_ok=True)
        port_file.write_text(str(port))
    return pooler_for(project_cluster(), LOCAL / "pgbouncer", port)


def local_endpoint() -> Endpoint:
    """What ``bbase --local`` connects to (the ``bbase.local_database`` entry point).

    The checkout's cluster (started when it is not running) and its current database,
    through the checkout's PgBouncer in transaction mode (started likewise), with the
    cluster itself as the direct DSN for migrations and the sync. ``BBASE_LOCAL_POOLER=0``,
    or no PgBouncer installed: the cluster only.
    """
    from bbase import logs
    from bbase.config import Endpoint
    from bbase_workshop.pgcluster import current_database, local_dsn

    direct = local_dsn()
    if os.environ.get("BBASE_LOCAL_POOLER") == "0":
        return Endpoint(direct)
    if not pgbouncer_installed():
        logs.warning("pooler_missing", path=str(PGBOUNCER),
                     note="connecting to the local cluster directly; ./dev setup installs it")
        return Endpoint(direct)
    pooler = project_pooler()
    pooler.start()
    return Endpoint(pooler.dsn_for(current_database()), "transaction", direct)
