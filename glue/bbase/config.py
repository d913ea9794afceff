"""Configuration from the environment, the way libpq and AWS users expect.

* ``DATABASE_URL``: a libpq URI. Or ``DB_SECRET_ID``: an AWS Secrets Manager
  secret holding ``{"username", "password", "host", "port", "database", "ssl"}``
  (the design document's shape). With neither, the command stops with one line,
  unless ``bbase --local`` (``BBASE_LOCAL=1``) asks for the checkout's local
  PostgreSQL 15 cluster under ``.local/pg`` (the workshop's).
* ``BBASE_ENV`` (default ``dev``), ``AWS_REGION`` (default ``ap-northeast-1``),
  ``AWS_ENDPOINT_URL`` (e.g. a local moto server).
* ``DATABASE_POOL_MODE``: ``session`` (the default: ``DATABASE_URL`` is the server, or a
  session-mode pooler) or ``transaction`` (it is a transaction-mode pooler: PgBouncer
  with ``pool_mode = transaction``, or RDS Proxy). Through a transaction pooler the glue
  turns psycopg's automatic prepared statements off (:mod:`bbase.connection`), and the
  work that needs a session of its own (migrations, the sync) connects to
  ``DATABASE_DIRECT_URL`` instead, the server itself; without it, that work stops with
  one line. ``bbase --local`` sets both: the checkout's PgBouncer and its cluster.
* ``BBASE_SYNC_ROLE`` (default ``bbase_sync``): the role the sync job and
  ``bbase publish`` switch to (``SET ROLE``) after connecting, when the login
  user is a member of it; empty to stay the login user.

Nothing here imports psycopg or boto3 at import time: ``bbase --help`` builds
its parser from modules that import this one.
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from bbase.errors import BbaseError

#: Credentials a local AWS endpoint (moto) accepts. Used only when no credentials are
#: configured and ``AWS_ENDPOINT_URL`` is a loopback address (see
#: :func:`is_loopback_endpoint`); never sent to a remote endpoint.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class ConfigError(BbaseError):
    """The environment does not say where the database or AWS is."""


class NotInstalledError(BbaseError):
    """The database is reachable but bbase's schema is not (fully) installed in it."""


#: What ``DATABASE_POOL_MODE`` may say.
POOL_MODES = ("session", "transaction")


@dataclass(frozen=True)
class Endpoint:
    """Where the glue connects.

    ``dsn`` for everyday work; ``pool_mode`` says whether it goes through a
    transaction-mode pooler (``"transaction"``) or is a session of its own
    (``"session"``); ``direct_dsn`` is a session of its own on the same database, for
    what needs one (None: not configured).
    """

    dsn: str
    pool_mode: str = "session"
    direct_dsn: str | None = None

    def __post_init__(self) -> None:
        if self.pool_mode not in POOL_MODES:
            raise ConfigError(f"DATABASE_POOL_MODE must be session or transaction, "
                              f"got {self.pool_mode!r}")
        if self.direct_dsn is None and self.pool_mode == "session":
            object.__setattr__(self, "direct_dsn", self.dsn)


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    db_secret_id: str | None
    env: str
    aws_region: str
    aws_endpoint_url: str | None
    sync_role: str = "bbase_sync"
    #: Use the checkout's local cluster when no database is configured.
    local: bool = False
    #: ``DATABASE_POOL_MODE``: what ``DATABASE_URL``/``DB_SECRET_ID`` point at (module docstring).
    pool_mode: str = "session"
    #: ``DATABASE_DIRECT_URL``: the server itself, for work that needs a session.
    direct_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            db_secret_id=os.environ.get("DB_SECRET_ID") or None,
            env=os.environ.get("BBASE_ENV", "dev"),
            aws_region=os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION", "ap-northeast-1"),
            aws_endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
            sync_role=os.environ.get("BBASE_SYNC_ROLE", "bbase_sync"),
            local=os.environ.get("BBASE_LOCAL") == "1",
            pool_mode=os.environ.get("DATABASE_POOL_MODE") or "session",
            direct_url=os.environ.get("DATABASE_DIRECT_URL") or None,
        )


def is_loopback_endpoint(url: str | None) -> bool:
    """True for ``http://localhost:…``, ``http://127.x.y.z:…`` and ``http://[::1]:…``."""
    if not url:
        return False
    host = urlsplit(url if "://" in url else f"//{url}").hostname
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def describe_dsn(dsn: str | None) -> str:
    """Where a DSN points, for messages: ``database D on host H port P``; never the password."""
    if not dsn:
        return "the database"
    from psycopg.conninfo import conninfo_to_dict  # libpq's own parser: URIs and key=value

    try:
        fields = conninfo_to_dict(dsn)
    except Exception:  # an unparsable DSN is reported by whoever uses it
        fields = {}
    host = fields.get("host") or os.environ.get("PGHOST") or "the local socket"
    port = fields.get("port") or os.environ.get("PGPORT") or "5432"
    dbname = fields.get("dbname") or os.environ.get("PGDATABASE") or "(default)"
    return f"database {dbname} on host {host} port {port}"


def dsn_from_secret(secret: dict) -> str:
    """Build a libpq URI from the design document's secret JSON."""
    missing = [k for k in ("username", "host", "database") if not secret.get(k)]
    if missing:
        raise ValueError(f"database secret lacks field(s) {', '.join(missing)}")
    user = quote(str(secret["username"]), safe="")
    password = quote(str(secret.get("password", "")), safe="")
    auth = f"{user}:{password}" if password else user
    port = int(secret.get("port", 5432))
    sslmode = secret.get("ssl", "prefer")
    if sslmode is True:
        sslmode = "require"
    return (f"postgresql://{auth}@{secret['host']}:{port}/"
            f"{quote(str(secret['database']), safe='')}?sslmode={sslmode}")


def resolve_endpoint(settings: Settings | None = None) -> Endpoint:
    """Where to connect: DATABASE_URL, else DB_SECRET_ID, else (only when asked with
    ``--local`` / ``BBASE_LOCAL=1``) the checkout's local cluster, through its pooler."""
    global _last_dsn
    settings = settings or Settings.from_env()
    if settings.database_url or settings.db_secret_id:
        dsn = settings.database_url or dsn_from_secret(json.loads(_secret_string(settings)))
        endpoint = Endpoint(dsn, settings.pool_mode, settings.direct_url)
    elif not settings.local:
        raise ConfigError("no database: set DATABASE_URL (postgresql://…) or DB_SECRET_ID;"
                          " in a checkout, bbase --local uses the project's local cluster")
    else:
        endpoint = _local_database()
    _pool_modes[endpoint.dsn] = endpoint.pool_mode
    if endpoint.direct_dsn:
        _pool_modes.setdefault(endpoint.direct_dsn, "session")
    _last_dsn = endpoint.dsn
    return endpoint


def resolve_dsn(settings: Settings | None = None) -> str:
    """The database for everyday work (through the pooler, when there is one)."""
    return resolve_endpoint(settings).dsn


def resolve_direct_dsn(settings: Settings | None = None, what: str = "this command") -> str:
    """A session of its own on the database (migrations, the sync: work that holds a
    session lock or session settings across transactions): ``DATABASE_DIRECT_URL``
    behind a transaction pooler, else the database itself."""
    global _last_dsn
    endpoint = resolve_endpoint(settings)
    if endpoint.direct_dsn is None:
        raise ConfigError(f"{what} needs a session of its own and DATABASE_URL goes through a "
                          "transaction pooler (DATABASE_POOL_MODE=transaction): set "
                          "DATABASE_DIRECT_URL to the server itself")
    _last_dsn = endpoint.direct_dsn
    return endpoint.direct_dsn


#: The pool mode of every DSN resolved in this process (see :func:`pool_mode_of`).
_pool_modes: dict[str, str] = {}


def pool_mode_of(dsn: str) -> str:
    """``"transaction"`` when ``dsn`` goes through a transaction-mode pooler: it was
    resolved as such in this process, or it is ``DATABASE_URL`` and
    ``DATABASE_POOL_MODE=transaction``; else ``"session"``."""
    if dsn in _pool_modes:
        return _pool_modes[dsn]
    if dsn == os.environ.get("DATABASE_URL") and os.environ.get(
            "DATABASE_POOL_MODE") == "transaction":
        return "transaction"
    return "session"


#: The DSN resolve_dsn returned last, so that ``bbase``'s error lines can say which
#: database they are about (see :func:`last_dsn`).
_last_dsn: str | None = None


def last_dsn() -> str | None:
    """The DSN :func:`resolve_dsn` returned last in this process (None before)."""
    return _last_dsn


def _local_database() -> Endpoint:
    """The endpoint from the ``bbase.local_database`` entry point (the workshop provides
    one): an :class:`Endpoint`, or a DSN string (a session of its own)."""
    from importlib.metadata import entry_points

    providers = list(entry_points(group="bbase.local_database"))
    if not providers:
        raise ConfigError("--local needs the workshop (./dev setup in a checkout)")
    found = providers[0].load()()
    return found if isinstance(found, Endpoint) else Endpoint(str(found))


def _secret_string(settings: Settings) -> str:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client("secretsmanager", region_name=settings.aws_region,
                          endpoint_url=settings.aws_endpoint_url)
    try:
        return client.get_secret_value(SecretId=settings.db_secret_id)["SecretString"]
    except (BotoCoreError, ClientError) as exc:
        raise ConfigError(f"DB_SECRET_ID {settings.db_secret_id!r}: {exc}") from exc
