"""The one place the glue opens database connections.

Behind a transaction-mode pooler (PgBouncer ``pool_mode = transaction`` up to 1.20,
as Debian 12 ships 1.18; RDS Proxy) a client's consecutive transactions may run on
different server connections. psycopg prepares a statement on the server once it has
run it ``prepare_threshold`` (5) times and then only names it: on another server
connection the name is unknown (``prepared statement "_pg3_0" does not exist``), or,
worse, names another client's statement. So a connection to a DSN that goes through a
transaction pooler (:func:`bbase.config.pool_mode_of`, set by ``DATABASE_POOL_MODE``)
gets ``prepare_threshold=None``: every statement is parsed each time, which costs a
little CPU and nothing else (plpgsql functions keep their own cached plans).

``session=True`` says the caller keeps state on the session across transactions (a
session advisory lock, ``SET ROLE``, yoyo's migration lock): such a caller must be
given a session of its own (:func:`bbase.config.resolve_direct_dsn`), and is refused a
DSN known to go through a transaction pooler rather than leak that state to the next
client of the server connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bbase.config import ConfigError, describe_dsn, pool_mode_of

if TYPE_CHECKING:
    import psycopg


def connection_options(dsn: str, pool_mode: str | None = None) -> dict[str, Any]:
    """The psycopg keyword arguments ``dsn`` needs (also for ``AsyncConnection.connect``)."""
    if (pool_mode or pool_mode_of(dsn)) == "transaction":
        return {"prepare_threshold": None}
    return {}


def connect(dsn: str, *, session: bool = False, pool_mode: str | None = None,
            **kwargs: Any) -> psycopg.Connection:
    """``psycopg.connect(dsn, **kwargs)``, safe behind a transaction pooler.

    ``pool_mode`` overrides what is known of ``dsn``; ``session=True`` refuses a
    transaction-pooled DSN (module docstring). Explicit ``kwargs`` win.
    """
    import psycopg

    mode = pool_mode or pool_mode_of(dsn)
    if session and mode == "transaction":
        raise ConfigError(f"{kwargs.get('application_name') or 'this work'} needs a session of "
                          f"its own, and {describe_dsn(dsn)} goes through a transaction pooler: "
                          "connect to the server itself (DATABASE_DIRECT_URL)")
    return psycopg.connect(dsn, **{**connection_options(dsn, mode), **kwargs})
