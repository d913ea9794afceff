"""``bbase sync`` (the scheduled job) and ``bbase publish`` (pending diffs → DynamoDB).

psycopg and boto3 (through ``bbase.sync``, ``bbase.publish``, ``bbase.dynamo``)
are imported inside the commands. Exit status of ``bbase sync``: the run's own
(0, 3, 4; ``bbase.sync.EXIT_*``), 75 when another run holds the lock, and 1
(``bbase.cli.main``) when it could not run at all.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from bbase.config import Settings, resolve_direct_dsn
from bbase.errors import SyncRunLocked


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    return replace(settings, env=args.env) if args.env else settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync", help="one run of the DynamoDB/S3 <-> PostgreSQL sync job",
        description="Exit status: 0 all done; 3 write-backs left for the next run; "
                    "4 done but records quarantined in this run; 75 another run holds "
                    "the lock; 1 error. The last line of output is the summary.")
    p.add_argument("--env", default=None, help="environment name (default: BBASE_ENV or dev)")
    p.add_argument("--full-resync", action="store_true",
                   help="parallel Scan of the whole table instead of StatusIndex queries")
    p.add_argument("--execute", action="store_true",
                   help="execute approved diffs (zengin.execute_approved_diffs)")
    p.add_argument("--segments", type=int, default=4, metavar="N",
                   help="parallel Scan segments for --full-resync (default 4)")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("publish", help="write pending diffs to DynamoDB (large ones to S3)")
    p.add_argument("--env", default=None, help="environment name (default: BBASE_ENV or dev)")
    p.set_defaults(func=cmd_publish)


def cmd_sync(args: argparse.Namespace) -> int:
    from bbase.sync import EXIT_LOCKED, run_sync

    settings = _settings(args)
    try:
        result = run_sync(resolve_direct_dsn(settings, "bbase sync"), settings,
                          full_resync=args.full_resync,
                          execute=args.execute, segments=args.segments)
    except SyncRunLocked as exc:
        print(f"sync: not started: {exc}", file=sys.stderr)
        print("sync: locked: another run is in progress; nothing done")
        return EXIT_LOCKED
    print(result.summary())
    return result.exit_code


def cmd_publish(args: argparse.Namespace) -> int:
    from bbase import dynamo, s3
    from bbase.connection import connect
    from bbase.publish import publish, use_sync_role

    settings = _settings(args)
    # A session of its own: the sync role is SET for the whole session.
    with connect(resolve_direct_dsn(settings, "bbase publish"), session=True, autocommit=True,
                 application_name="bbase publish") as conn:
        use_sync_role(conn, settings.sync_role)
        result = publish(conn, dynamo.client(settings), s3.client(settings), settings.env)
    print(f"publish: {result.published} record(s) written to {dynamo.table_name(settings.env)}"
          f" ({result.to_s3} with the body in S3), {result.already_there} already there")
    return 0
