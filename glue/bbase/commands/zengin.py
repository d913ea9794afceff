"""``bbase zengin …``: stage Zengin snapshots and drive the diff pipeline.

The rules live in SQL (``zengin`` schema); these commands move data and call
the functions. A refusal by the database (the project's SQLSTATEs) reaches
``bbase.cli.main``, which prints its one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bbase.cli import GROUPS
from bbase.config import resolve_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("zengin", help="Zengin master data: stage snapshots, diff, approve, execute")
    cmds = p.add_subparsers(dest="zengin_command", required=True, metavar="SUBCOMMAND",
                            help="the step of the pipeline to run")
    GROUPS["zengin"] = cmds

    s = cmds.add_parser("stage", help="load a source-data folder (banks.json + branches/) into"
                        " staging; prints the snapshot id last")
    s.add_argument("path", type=Path, help="folder holding banks.json and branches/")
    s.add_argument("--version", help="source version to record (default: the folder's updated_at)")
    s.set_defaults(func=cmd_stage)

    s = cmds.add_parser("diff", help="diff a staged snapshot against the master; prints the count")
    s.add_argument("snapshot_id", type=int, help="the id bbase zengin stage printed")
    s.add_argument("--created-by", default=None, metavar="WHO",
                   help="who the diffs are recorded as created by (may not approve them)")
    s.add_argument("--confirm-mass-change", default=None, metavar="NAME",
                   help="confirm, under your name, a snapshot that deletes or updates more than"
                        " zengin.settings.mass_change_share (default 5 %%) of the master; without"
                        " it such a snapshot is refused (ZG031). Check the source folder first:"
                        " a broken one looks like a mass deletion. The name is recorded on the"
                        " snapshot")
    s.set_defaults(func=cmd_diff)

    s = cmds.add_parser("approve", help="approve pending diffs")
    s.add_argument("diff_ids", nargs="+", metavar="DIFF_ID",
                   help="id of a pending diff (diff-YYYYMMDD-NNN)")
    s.add_argument("--approver", required=True, metavar="WHO",
                   help="the person approving (not the diffs' creator)")
    s.set_defaults(func=cmd_approve)

    s = cmds.add_parser("reject", help="reject pending diffs, with a reason")
    s.add_argument("diff_ids", nargs="+", metavar="DIFF_ID",
                   help="id of a pending diff (diff-YYYYMMDD-NNN)")
    s.add_argument("--reviewer", required=True, metavar="WHO",
                   help="the person rejecting")
    s.add_argument("--reason", default=None, metavar="TEXT",
                   help="why (required by the database: a rejection without one is refused)")
    s.set_defaults(func=cmd_reject)

    s = cmds.add_parser("execute", help="apply every approved diff; one line per diff")
    s.set_defaults(func=cmd_execute)

    s = cmds.add_parser("maintain",
                        help="the Zengin part of bbase maintain only (zengin.run_maintenance):"
                             " history partitions ahead, retention, stale diffs expired")
    s.set_defaults(func=cmd_maintain)

    s = cmds.add_parser("publish", help="write pending diffs to DynamoDB (large ones to S3);"
                                        " same as bbase publish")
    s.add_argument("--env", default=None, help="environment name (default: BBASE_ENV or dev)")
    s.set_defaults(func=_publish)


def _publish(args: argparse.Namespace) -> int:
    # The name for it; the command itself lives with the sync glue.
    from bbase.commands.sync import cmd_publish

    return cmd_publish(args)


def cmd_stage(args: argparse.Namespace) -> int:
    """Exit 0 staged; 2 bad input (one ``bbase: …`` line per problem, nothing staged)."""
    import sys

    import psycopg

    from bbase.connection import connect
    from bbase.staging import SourceDataError, inspect_source, stage

    def refuse(exc: SourceDataError) -> int:
        for line in exc.lines():
            print(f"bbase: {line}", file=sys.stderr)
        print(f"bbase: {len(exc.problems)} problem(s) in {exc.path}; nothing staged",
              file=sys.stderr)
        return exc.exit_code

    data, problems = inspect_source(args.path)
    try:
        conn = connect(resolve_dsn())
    except psycopg.Error:
        if problems:  # the database is needed only for the content rules
            return refuse(SourceDataError(args.path, problems))
        raise
    try:
        with conn:
            result = stage(conn, data, version=args.version, problems=problems)
    except SourceDataError as exc:
        return refuse(exc)
    print(f"staged {result.banks} banks, {result.branches} branches from {args.path}")
    if result.orphan_bank_codes:
        shown = ", ".join(result.orphan_bank_codes[:10])
        more = "…" if len(result.orphan_bank_codes) > 10 else ""
        print(f"skipped {len(result.orphan_bank_codes)} branch file(s) whose bank is not in"
              f" banks.json: {shown}{more}")
    print(result.snapshot_id)
    return 0


def _call(dsn: str, query: str, params: tuple) -> list[tuple]:

    from bbase.connection import connect

    with connect(dsn) as conn:
        return conn.execute(query, params).fetchall()


def cmd_diff(args: argparse.Namespace) -> int:
    confirmed_by = args.confirm_mass_change
    rows = _call(resolve_dsn(),
                 "SELECT zengin.diff_snapshot(p_snapshot_id => %s, p_created_by => %s,"
                 " p_confirm_mass_change => %s, p_confirmed_by => %s)",
                 (args.snapshot_id, args.created_by, confirmed_by is not None, confirmed_by))
    print(rows[0][0])
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    dsn = resolve_dsn()
    code = 0
    for diff_id in args.diff_ids:
        # 'expired': the diff's ttl had passed; the database expired it (ZG020 warning).
        status = _call(dsn, "SELECT zengin.approve_diff(%s, %s)", (diff_id, args.approver))[0][0]
        if status == "approved":
            print(f"approved {diff_id}")
        else:
            print(f"bbase: diff {diff_id} is past its ttl and is now {status}, not approved"
                  " (ZenginDiffExpired, SQLSTATE ZG020)", file=sys.stderr)
            code = 1
    return code


def cmd_reject(args: argparse.Namespace) -> int:
    dsn = resolve_dsn()
    for diff_id in args.diff_ids:
        _call(dsn, "SELECT zengin.reject_diff(%s, %s, %s)",
              (diff_id, args.reviewer, args.reason))
        print(f"rejected {diff_id}")
    return 0


def cmd_execute(args: argparse.Namespace) -> int:
    rows = _call(resolve_dsn(), "SELECT * FROM zengin.execute_approved_diffs()", ())
    for diff_id, status, rows_affected, error in rows:
        print(f"{diff_id} {status} rows={rows_affected}" + (f" error={error}" if error else ""))
    return 0 if all(r[1] == "completed" for r in rows) else 1


def cmd_maintain(args: argparse.Namespace) -> int:
    rows = _call(resolve_dsn(), "SELECT zengin.run_maintenance()", ())
    print(json.dumps(rows[0][0], ensure_ascii=False))
    return 0
