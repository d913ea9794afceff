"""``bbase zengin report``: the HTML review report of the diffs in one status.

Reads the database of the normal configuration (``DATABASE_URL``,
``DB_SECRET_ID`` or ``--local``) through ``zengin.review_items`` and writes one
self-contained page (see ``bbase.report``). psycopg and jinja2 are imported
only when the command runs, so ``bbase --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bbase.cli import GROUPS

TITLE = "全銀マスタ差分レビュー / Zengin diff review"


def register(sub: argparse._SubParsersAction) -> None:
    s = GROUPS["zengin"].add_parser(
        "report", help="write the HTML review report of the diffs in a status (default pending:"
                       " the ones really waiting); prints the path and the count")
    s.add_argument("--status", default="pending",
                   help="which diffs: a status of zengin.diff_statuses (default: pending)")
    s.add_argument("--output", type=Path, default=None, metavar="PATH",
                   help="where to write it (default: zengin-review-STATUS.html here)")
    s.add_argument("--bank", default=None, metavar="CODE",
                   help="only the records of this bank (4-digit code)")
    s.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from bbase.config import resolve_dsn
    from bbase.connection import connect
    from bbase.report import write_review_report

    path: Path = args.output or Path(f"zengin-review-{args.status}.html")
    # A database error (ZG001 for a bad --bank, …) becomes the one-line message of bbase.cli.
    with connect(resolve_dsn(), application_name="bbase zengin report") as conn:
        conn.read_only = True
        shown = write_review_report(conn, path, TITLE, status=args.status, bank=args.bank)
    print(f"{path.resolve()}: {shown} {args.status} diff{'s' if shown != 1 else ''}"
          + (f" of bank {args.bank}" if args.bank else ""))
    return 0
