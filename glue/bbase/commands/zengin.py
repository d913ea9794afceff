"""``bbase zengin …``: stage Zengin snapshots and drive the diff pipeline.

The rules live in SQL (``zengin`` schema); these commands move data and call
the functions.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import psycopg

from bbase import errors
from bbase.cli import GROUPS
from bbase.config import resolve_dsn
from bbase.staging import stage_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("zengin", help="Zengin master data: stage snapshots, diff, approve, execute")
    cmds = p.add_subparsers(dest="zengin_command", required=True, metavar="SUBCOMMAND")
    GROUPS["zengin"] = cmds

    s = cmds.add_parser("stage", help="load a source-data folder (banks.json + branches/) into"
                        " staging; prints the snapshot id last")
    s.add_argument("path", type=Path, help="folder holding banks.json and branches/")
    s.add_argument("--version", help="source version to record (default: the folder's updated_at)")
    s.set_defaults(func=cmd_stage)

    s = cmds.add_parser("diff", help="diff a staged snapshot against the master; prints the count")
    s.add_argument("snapshot_id", type=int)
    s.add_argument("--created-by", default=None)
    s.set_defaults(func=cmd_diff)

    s = cmds.add_parser("approve", help="approve pending diffs")
    s.add_argument("diff_ids", nargs="+")
    s.add_argument("--approver", required=True)
    s.set_defaults(func=cmd_approve)

    s = cmds.add_parser("execute", help="apply every approved diff; one line per diff")
    s.set_defaults(func=cmd_execute)

    s = cmds.add_parser("maintain", help="partitions ahead, history retention, expire stale diffs")
    s.set_defaults(func=cmd_maintain)

    # The name for it; the command itself lives with the sync glue.
    from bbase.commands.sync import cmd_publish

    s = cmds.add_parser("publish", help="write pending diffs to DynamoDB (large ones to S3);"
                                        " same as bbase publish")
    s.add_argument("--env", default=None, help="environment name (default: BBASE_ENV or dev)")
    s.set_defaults(func=cmd_publish)


def cmd_stage(args: argparse.Namespace) -> int:
    with psycopg.connect(resolve_dsn()) as conn:
        result = stage_path(conn, args.path, version=args.version)
    print(f"staged {result.banks} banks, {result.branches} branches from {args.path}")
    if result.orphan_bank_codes:
        shown = ", ".join(result.orphan_bank_codes[:10])
        more = "…" if len(result.orphan_bank_codes) > 10 else ""
        print(f"skipped {len(result.orphan_bank_codes)} branch file(s) whose bank is not in"
              f" banks.json: {shown}{more}")
    print(result.snapshot_id)
    return 0


def _call(dsn: str, query: str, params: tuple) -> list[tuple]:
    try:
        with psycopg.connect(dsn) as conn:
            return conn.execute(query, params).fetchall()
    except psycopg.Error as exc:
        raise errors.translate(exc) from exc


def cmd_diff(args: argparse.Namespace) -> int:
    rows = _call(resolve_dsn(), "SELECT zengin.diff_snapshot(%s, %s)",
                 (args.snapshot_id, args.created_by))
    print(rows[0][0])
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    dsn = resolve_dsn()
    for diff_id in args.diff_ids:
        _call(dsn, "SELECT zengin.approve_diff(%s, %s)", (diff_id, args.approver))
        print(f"approved {diff_id}")
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
