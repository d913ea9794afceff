"""The ``bbase`` console script.

Each command group lives in its own module under ``glue/bbase/commands/`` and
exposes ``register(subparsers)``; this file only wires them together. The
workshop (``workshop/bbase_workshop``), when installed, adds its commands
(demo, bench, ses seed, zengin fetch) through the ``bbase.commands`` entry
points; a production install has none of them.

Two rules keep the script pleasant to operate:

* ``bbase --help`` stays fast: building the parser imports no heavy library
  (psycopg, boto3/botocore, jinja2, yoyo, moto). Command modules import them
  inside the functions that use them; ``tests/foundation/test_cli.py`` checks it.
* A command that cannot do its job ends with one line ``bbase: …`` on stderr
  and a non-zero exit, never a traceback. The translation from exceptions to
  that line lives here, in :func:`explain`, and nowhere else.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from bbase.config import describe_dsn, last_dsn
from bbase.errors import BbaseError, DatabaseRuleError

COMMAND_MODULES = (
    "bbase.commands.db",
    "bbase.commands.maintain",
    "bbase.commands.zengin",
    "bbase.commands.report",
    "bbase.commands.aws",
    "bbase.commands.sync",
    "bbase.commands.ses",
)
#: Sub-command groups by name (``zengin``, ``ses``), for plugins that add to them.
GROUPS: dict[str, argparse._SubParsersAction] = {}
#: Exit status of a command that could not do its job (``bbase sync`` keeps its own
#: 0/3/4/75 on top of it).
EXIT_ERROR = 1
#: SQLSTATEs that mean an object bbase installs is missing from the database.
_NOT_INSTALLED = frozenset({"3F000", "42P01", "42883"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bbase",
        description="bbase: Zengin master data pipeline and SES database (SQL-first).",
        epilog="The database comes from DATABASE_URL or DB_SECRET_ID (or --local in a "
               "checkout); AWS from the usual AWS_* variables. A command that cannot do "
               "its job prints one line 'bbase: …' on stderr and exits non-zero.",
    )
    parser.add_argument(
        "--local", action="store_true",
        help="when neither DATABASE_URL nor DB_SECRET_ID is set, use the checkout's local"
             " cluster (.local/pg; its demo database after bbase demo); same as BBASE_LOCAL=1")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help="the command to run; bbase COMMAND --help explains it")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    from importlib.metadata import entry_points

    for plugin in entry_points(group="bbase.commands"):
        plugin.load()(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.local:
        os.environ["BBASE_LOCAL"] = "1"
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        line = explain(exc)
        if line is None:
            raise  # a bug, not an operating condition: keep the traceback
        print(f"bbase: {line}", file=sys.stderr)
        return EXIT_ERROR


def explain(exc: BaseException) -> str | None:
    """The one line that tells the operator why a command stopped; None for a bug.

    psycopg and botocore are only looked at when already imported: an exception
    of theirs cannot exist otherwise, and ``bbase --help`` must not import them.
    """
    if isinstance(exc, DatabaseRuleError):
        return _rule_line(exc)
    if isinstance(exc, BbaseError):
        return _one_line(str(exc))
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(exc, psycopg.Error):
        return _database_line(exc, psycopg)
    botocore_exceptions = sys.modules.get("botocore.exceptions")
    if botocore_exceptions is not None:
        return _aws_line(exc, botocore_exceptions)
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _rule_line(exc: DatabaseRuleError) -> str:
    line = f"{exc} ({type(exc).__name__}, SQLSTATE {exc.sqlstate})"
    if exc.hint:
        line += f"; {exc.hint}"
    return _one_line(line)


def _target(exc: object) -> str:
    """Which database an error is about: host, port and name, never the password."""
    pgconn = getattr(exc, "pgconn", None)
    try:
        host, port, db = (pgconn.host, pgconn.port, pgconn.db) if pgconn is not None else (
            b"", b"", b"")
    except Exception:  # a closed connection may refuse to say
        host = port = db = b""
    if host and db:
        return (f"database {db.decode(errors='replace')} on host "
                f"{host.decode(errors='replace')} port {port.decode(errors='replace') or 5432}")
    return describe_dsn(last_dsn())


def _database_line(exc: BaseException, psycopg: object) -> str:
    from bbase import errors

    translated = errors.translate(exc)  # type: ignore[arg-type]
    if isinstance(translated, DatabaseRuleError):
        return _rule_line(translated)
    sqlstate = getattr(exc, "sqlstate", None) or ""
    diag = getattr(exc, "diag", None)
    primary = (getattr(diag, "message_primary", None) or str(exc)) if diag else str(exc)
    if sqlstate in _NOT_INSTALLED:
        return _one_line(f"bbase is not installed in {_target(exc)}: run bbase migrate "
                         f"({primary})")
    operational = isinstance(exc, psycopg.OperationalError)  # type: ignore[attr-defined]
    if operational and (not sqlstate or sqlstate[:2] in ("08", "28", "3D")
                        or sqlstate.startswith("57P")):
        return _one_line(f"cannot connect to {_target(exc)}: {_connection_reason(str(exc))}")
    return _one_line(f"database error{f' {sqlstate}' if sqlstate else ''} in {_target(exc)}: "
                     f"{primary}")


def _connection_reason(message: str) -> str:
    """libpq's reason without its preamble: 'Connection refused', 'password authentication
    failed for user "x"', …"""
    first = message.strip().splitlines()[0] if message.strip() else "unknown reason"
    reason = first.rsplit(" failed: ", 1)[-1]
    for prefix in ("connection failed: ", "FATAL:"):
        reason = reason.removeprefix(prefix).strip()
    return reason


def _aws_line(exc: BaseException, bx: object) -> str | None:
    if isinstance(exc, (bx.NoCredentialsError, bx.PartialCredentialsError)):  # type: ignore[attr-defined]
        return _one_line(f"no AWS credentials ({exc}): set AWS_ACCESS_KEY_ID and "
                         "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an IAM role")
    if isinstance(exc, bx.ConnectionError):  # type: ignore[attr-defined]
        endpoint = getattr(exc, "kwargs", {}).get("endpoint_url") or "(unknown)"
        return _one_line(f"cannot reach the AWS endpoint {endpoint}: check AWS_ENDPOINT_URL "
                         f"and AWS_REGION ({type(exc).__name__})")
    if isinstance(exc, bx.ClientError):  # type: ignore[attr-defined]
        error = exc.response.get("Error", {})  # type: ignore[attr-defined]
        code = error.get("Code", "?")
        line = f"AWS {exc.operation_name} refused: {code}: {error.get('Message', '')}"  # type: ignore[attr-defined]
        if code in ("ResourceNotFoundException", "NoSuchBucket"):
            line += "; create the table and bucket with bbase aws bootstrap --env ENV"
        return _one_line(line)
    if isinstance(exc, bx.BotoCoreError):  # type: ignore[attr-defined]
        return _one_line(f"AWS: {exc}")
    return None


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: commands and plugins
    # register into ``bbase.cli.GROUPS``.
    from bbase.cli import main as _main

    sys.exit(_main())
