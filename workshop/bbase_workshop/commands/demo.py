"""``bbase demo``: the main job on the embedded default, no configuration needed.

1. starts the project-local PostgreSQL 15 cluster (``.local/pg``) and its PgBouncer
   (``.local/pgbouncer``, transaction mode) and creates a fresh database
   ``bbase_demo`` (so every run tells the whole story), starts a local DynamoDB/S3
   endpoint (moto server on 127.0.0.1), migrates and runs ``bbase aws bootstrap``.
   The operator's work (staging, diffing, publishing, the report) goes through the
   pooler, as an application's would; migrations and the sync need a session of
   their own and connect to the cluster directly (``bbase.connection``);
2. base: stages the real zengin-code 1.1.0.20250629 snapshot, diffs it against
   the empty master, publishes the diffs (bodies over 400 KB go to S3), a
   reviewer approves them in DynamoDB, ``bbase sync --execute`` applies them;
3. next: stages zengin-code 1.1.0.20260824, diffs, publishes, writes the HTML
   review report, the reviewer decides in DynamoDB (approves all but one, which
   is rejected with a reason), ``bbase sync --execute`` applies and writes back;
4. runs the sync once more to show that nothing new changes nothing;
5. SES: a small company (``bbase ses seed --scale 0.02``) lives its last three
   months through the workflow functions (contracts signed, days entered,
   timesheets approved, each month closed by ``billing_context.close_month``,
   receipts and partner payments recorded, late invoices marked overdue,
   events consumed into notifications), and the demo prints what an operator
   would look at: invoices issued per month, what is paid, open and overdue,
   the notifications produced, and the psql lines to look further.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bbase import logs
from bbase.commands.aws import bootstrap
from bbase.config import LOCAL_CREDENTIALS, Settings
from bbase_workshop import CHECKOUT

if TYPE_CHECKING:
    import psycopg

# psycopg, boto3 (bbase.dynamo/s3/publish/sync), jinja2 (bbase.report), yoyo
# (bbase.migrate) and the moto server are imported inside the functions below, so
# that building the bbase parser (bbase --help) does not load them.

BASE_VERSION = "20250629"
NEXT_VERSION = "20260824"
IMPORTER = "zengin-import"
REVIEWER = "hanako.suzuki@example.co.jp"
DEMO_DB = "bbase_demo"
REPORT = CHECKOUT / ".local" / "demo" / "review.html"
#: The operator's own database login: diffs are created by it, decisions are
#: relayed by the sync's login. The four-eyes rule holds on logins too (ZG021):
#: the login that creates a diff cannot approve it.
OPERATOR_LOGIN = "bbase_demo_operator"
#: The SES company of the demo: 20 engineers, 10 customer contracts, three months lived.
SES_SCALE = 0.02
SES_MONTHS = 3


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the main job on the embedded default, no configuration")
    p.add_argument("--verbose", action="store_true",
                   help="also write the info-level JSON log lines on stderr")
    p.add_argument("--report", type=Path, default=REPORT, help="where to write the HTML report")
    p.add_argument("--server", metavar="ADMIN_DSN", default=None,
                   help="create the demo database on this server instead of the project-local"
                        " cluster (a superuser URI; used by the tests)")
    p.set_defaults(func=cmd_demo)


def say(text: str = "") -> None:
    print(text, flush=True)


def review_in_dynamodb(ddb: Any, table: str, decide: Any) -> dict[str, list[str]]:
    """What a reviewer UI does: list pending records (StatusIndex), decide each
    with a conditional update_item. ``decide(item) -> (status, reason|None)``."""
    from bbase import dynamo

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    done: dict[str, list[str]] = {"approved": [], "rejected": []}
    pending = [item for page in dynamo.query_status(ddb, table, "pending") for item in page]
    for item in pending:
        plain = dynamo.item_to_plain(item)
        status, reason = decide(plain)
        prefix = "approved" if status == "approved" else "rejected"
        names = {"#s": "status", "#by": f"{prefix}By", "#at": f"{prefix}At"}
        values: dict[str, Any] = {":s": {"S": status}, ":by": {"S": REVIEWER},
                                  ":at": {"S": now}, ":pending": {"S": "pending"}}
        expression = "SET #s = :s, #by = :by, #at = :at"
        if reason:
            names["#r"] = "rejectReason"
            values[":r"] = {"S": reason}
            expression += ", #r = :r"
        dynamo.with_backoff(
            ddb.update_item, TableName=table,
            Key={"id": item["id"], "timestamp": item["timestamp"]},
            UpdateExpression=expression, ConditionExpression="#s = :pending",
            ExpressionAttributeNames=names, ExpressionAttributeValues=values,
            what="review update_item")
        done[status].append(plain["id"])
    return done


def _fresh_database(server: str | None) -> str:
    import psycopg

    from bbase_workshop.pgcluster import project_cluster, set_current_database

    if server is None:
        cluster = project_cluster()
        cluster.start()
        server = cluster.dsn
        set_current_database(DEMO_DB)  # bbase --local dsn/status/maintain now point here
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            psycopg.sql.Identifier(DEMO_DB)))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(
            psycopg.sql.Identifier(DEMO_DB)))
    return urlunsplit(urlsplit(server)._replace(path="/" + DEMO_DB))


@contextlib.contextmanager
def _pooler(server: str | None) -> Iterator[Any]:
    """The PgBouncer the operator's work goes through: the checkout's (started when not
    running, left running like the cluster), or for ``--server`` one of its own for this
    run; None when PgBouncer is not installed."""
    from bbase_workshop.pooler import (
        pgbouncer_installed,
        pooler_for_dsn,
        project_pooler,
    )

    if not pgbouncer_installed() or os.environ.get("BBASE_LOCAL_POOLER") == "0":
        yield None
        return
    if server is None:
        pooler = project_pooler()
        pooler.start()
        yield pooler
        return
    base = Path(tempfile.mkdtemp(prefix="bbase-demo-pgbouncer-"))
    os.chmod(base, 0o755)  # PgBouncer runs as the postgres OS user when we are root
    pooler = pooler_for_dsn(server, base / "pgbouncer")
    pooler.start()
    try:
        yield pooler
    finally:
        pooler.destroy()
        base.rmdir()


def _ensure_operator_login(conn: psycopg.Connection) -> None:
    """The demo operator's login role (server-wide), a member of bbase_operator."""
    from psycopg import sql

    if conn.execute("SELECT FROM pg_roles WHERE rolname = %s",
                    (OPERATOR_LOGIN,)).fetchone() is not None:
        return
    conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE bbase_operator").format(
        sql.Identifier(OPERATOR_LOGIN)))


def _stage_and_diff(conn: psycopg.Connection, version: str, max_items: int = 1000
                    ) -> tuple[Any, int, list[tuple]]:
    """Stage and diff as the operator's login (the connection's superuser acts as it).

    One transaction, with ``SET LOCAL``: behind a transaction pooler a session-level
    ``SET SESSION AUTHORIZATION`` would stay on the server connection for its next client.
    """
    from psycopg import sql

    from bbase.staging import stage_path
    from bbase_workshop.snapshots import fetch_snapshot

    _ensure_operator_login(conn)
    path = fetch_snapshot(version)
    with conn.transaction():
        conn.execute(sql.SQL("SET LOCAL SESSION AUTHORIZATION {}").format(
            sql.Identifier(OPERATOR_LOGIN)))
        staged = stage_path(conn, path)
        created = conn.execute("SELECT zengin.diff_snapshot(%s, %s, %s)",
                               (staged.snapshot_id, IMPORTER, max_items)).fetchone()[0]
    kinds = conn.execute(
        "SELECT i.diff_type, count(*) FROM zengin.diffs d JOIN zengin.diff_items i "
        "ON i.diff_id = d.id WHERE d.snapshot_id = %s GROUP BY 1 ORDER BY 1",
        (staged.snapshot_id,)).fetchall()
    return staged, created, kinds


def _master(conn: psycopg.Connection) -> str:
    banks, branches = conn.execute(
        "SELECT (SELECT count(*) FROM zengin.banks), (SELECT count(*) FROM zengin.branches)"
    ).fetchone()
    return f"{banks:,} banks, {branches:,} branches"


def cmd_demo(args: argparse.Namespace) -> int:
    started = time.monotonic()
    previous_level = logs.set_level("info" if args.verbose else "warning")
    try:
        return _demo(args, started)
    finally:
        logs.set_level(previous_level)


def _demo(args: argparse.Namespace, started: float) -> int:
    from bbase import dynamo
    from bbase import migrate as mig
    from bbase import s3 as s3mod
    from bbase.connection import connect
    from bbase.publish import publish
    from bbase.report import write_review_report
    from bbase.sync import run_sync
    from bbase_workshop.moto_server import MotoServer

    say("bbase demo: the Zengin change pipeline on the embedded default")
    say("=" * 68)
    dsn = _fresh_database(args.server)
    applied, _ = mig.migrate(dsn)
    say(f"database  {dsn} (fresh; {len(applied)} migrations applied)")
    with _pooler(args.server) as pooler, MotoServer() as endpoint:
        if pooler is None:
            work_dsn, mode = dsn, "session"
        else:
            work_dsn, mode = pooler.dsn_for(DEMO_DB), "transaction"
            say(f"pooler    PgBouncer on 127.0.0.1:{pooler.port}, transaction mode, "
                f"{pooler.pool_size} server connections per pool (migrations and the sync "
                "connect directly)")
        for key, value in LOCAL_CREDENTIALS.items():
            os.environ.setdefault(key, value)
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        settings = replace(Settings.from_env(), aws_endpoint_url=endpoint)
        table, bucket = dynamo.table_name(settings.env), s3mod.bucket_name(settings.env)
        bootstrap(settings)
        say(f"endpoint  {endpoint} (moto server: DynamoDB + S3)")
        say(f"created   table {table} (id+timestamp, StatusIndex, TTL) and bucket {bucket}")
        ddb, s3 = dynamo.client(settings), s3mod.client(settings)

        with connect(work_dsn, pool_mode=mode, autocommit=True,
                     application_name="bbase demo") as conn:
            say()
            say(f"[1] base: zengin-code 1.1.0.{BASE_VERSION}")
            # A first load is a bulk import: bulk_update diffs of about 2,000
            # records each, whose bodies (> 400 KB) go to S3.
            staged, created, kinds = _stage_and_diff(conn, BASE_VERSION, max_items=2000)
            say(f"    staged {staged.banks:,} banks and {staged.branches:,} branches; "
                f"zengin.diff_snapshot made {created} diffs "
                f"({', '.join(f'{n:,} {k}s' for k, n in kinds)})")
            pub = publish(conn, ddb, s3, settings.env)
            say(f"    published {pub.published} records to DynamoDB; {pub.to_s3} bodies over "
                f"400 KB went to s3://{bucket}/diffs/")
            decided = review_in_dynamodb(ddb, table, lambda item: ("approved", None))
            say(f"    {REVIEWER} approved {len(decided['approved'])} records in DynamoDB")
            result = run_sync(dsn, settings, execute=True)
            say(f"    {result.summary()}")
            say(f"    master now: {_master(conn)}")

            say()
            say(f"[2] next: zengin-code 1.1.0.{NEXT_VERSION}")
            staged, created, kinds = _stage_and_diff(conn, NEXT_VERSION)
            say(f"    staged {staged.banks:,} banks and {staged.branches:,} branches; "
                f"{created} diffs ({', '.join(f'{n} {k}s' for k, n in kinds)})")
            pub = publish(conn, ddb, s3, settings.env)
            say(f"    published {pub.published} records to DynamoDB ({pub.to_s3} via S3)")
            shown = write_review_report(
                conn, args.report, "全銀マスタ差分レビュー / Zengin diff review",
                f"zengin-code 1.1.0.{BASE_VERSION} → 1.1.0.{NEXT_VERSION} · published "
                f"to {table}", status="pending")
            say(f"    review report: {args.report} ({shown} pending diffs)")
            rejected_id = conn.execute(
                "SELECT id FROM zengin.diffs WHERE status = 'pending' AND diff_type = 'deletion' "
                "ORDER BY id LIMIT 1").fetchone()
            rejected_id = rejected_id[0] if rejected_id else None
            reason = "支店の廃止日が未確認のため保留 (closing date not confirmed)"
            decided = review_in_dynamodb(
                ddb, table, lambda item: ("rejected", reason) if item["id"] == rejected_id
                else ("approved", None))
            say(f"    {REVIEWER} in DynamoDB: approved {len(decided['approved'])}, "
                f"rejected {len(decided['rejected'])} ({', '.join(decided['rejected'])})")
            result = run_sync(dsn, settings, execute=True)
            say(f"    {result.summary()}")
            statuses = conn.execute(
                "SELECT status, count(*) FROM zengin.diffs WHERE snapshot_id = %s "
                "GROUP BY 1 ORDER BY 1", (staged.snapshot_id,)).fetchall()
            say(f"    PostgreSQL: {', '.join(f'{n} {s}' for s, n in statuses)}")
            remote: dict[str, int] = {}
            for status in dynamo.statuses(conn):
                n = sum(len(p) for p in dynamo.query_status(ddb, table, status))
                if n:
                    remote[status] = n
            say(f"    DynamoDB:   {', '.join(f'{n} {s}' for s, n in remote.items())} "
                "(statuses, approvedBy/At, executedAt, executionResult written back)")
            for diff_id, error in conn.execute(
                    "SELECT id, execution_result->>'error' FROM zengin.diffs "
                    "WHERE snapshot_id = %s AND status = 'failed' ORDER BY id",
                    (staged.snapshot_id,)):
                say(f"    failed: {diff_id}: {error}")
            say(f"    master now: {_master(conn)}; change_history rows: "
                f"{conn.execute('SELECT count(*) FROM zengin.change_history').fetchone()[0]:,}")
            say("    some applied changes:")
            for code, field, old, new in conn.execute(
                    "SELECT i.bank_code || coalesce('-' || i.branch_code, ''), c.key, "
                    "c.value->>'old', c.value->>'new' "
                    "FROM zengin.diffs d JOIN zengin.diff_items i ON i.diff_id = d.id "
                    "CROSS JOIN LATERAL jsonb_each(i.changes) c "
                    "WHERE d.snapshot_id = %s AND d.status = 'completed' "
                    "AND c.key IN ('bankName', 'branchName') ORDER BY 1 LIMIT 5",
                    (staged.snapshot_id,)):
                say(f"      {code:<9} {field:<10} {old} → {new}")

            say()
            say("[3] the scheduled job again, nothing new")
            again = run_sync(dsn, settings, execute=True)
            say(f"    {again.summary()}")
        say()
        ses_month(dsn)
        say()
        say(f"demo: done in {time.monotonic() - started:.0f}s; database {dsn} stays for "
            f"psql; open {args.report} to see the review report")
    return 0 if result.exit_code == 0 and again.exit_code == 0 else 1


def _yen(amount: Any) -> str:
    return f"{int(amount or 0):,} yen"


def _ses_progress(line: str) -> None:
    """The seed's lines an operator cares about: the company, each month's close, the money."""
    if line.startswith(("seed:", "  cycle")) and "slowest" not in line and "done" not in line:
        say("    " + line.strip())


def ses_month(dsn: str) -> None:
    """[4] a small SES company lives its last months; print what an operator looks at."""
    import psycopg

    from bbase_workshop import seed as ses_seed

    say(f"[4] SES: a small company lives its last {SES_MONTHS} months through the workflow "
        "functions")
    started = time.monotonic()
    with psycopg.connect(dsn) as conn:
        ses_seed.seed(conn, scale=SES_SCALE, months=SES_MONTHS, progress=_ses_progress)
    say(f"    seeded and lived in {time.monotonic() - started:.0f}s")
    with psycopg.connect(dsn, autocommit=True) as conn:
        # The demo connects as the cluster's superuser, which row-level security does not
        # hold: these are every company's rows, as the operator's maintenance sees them.
        say("    invoices to customers, by month (issued by billing_context.close_month):")
        for month, n, subtotal, total in conn.execute(
                "SELECT format('%s-%s', invoice_year, lpad(invoice_month::text, 2, '0')),"
                " count(*), sum(subtotal_amount), sum(total_amount)"
                " FROM billing_context.invoices WHERE direction = 'RECEIVABLE'"
                " GROUP BY invoice_year, invoice_month ORDER BY 1"):
            say(f"      {month}: {n} invoices, {_yen(subtotal)} + tax = {_yen(total)}")
        say("    receivables now:")
        for status, n, total, paid in conn.execute(
                "SELECT status, count(*), sum(total_amount), sum(paid_amount)"
                " FROM billing_context.invoices WHERE direction = 'RECEIVABLE'"
                " GROUP BY status ORDER BY status"):
            say(f"      {status:<15} {n:>3} invoices, {_yen(total)} billed, {_yen(paid)} received")
        payables = conn.execute(
            "SELECT count(*), sum(total_amount), count(*) FILTER (WHERE status = 'PAID')"
            " FROM billing_context.invoices WHERE direction = 'PAYABLE'").fetchone()
        say(f"    payables from partners: {payables[0]} recorded ({_yen(payables[1])}), "
            f"{payables[2]} paid")
        waiting = conn.execute(
            "SELECT status, count(*) FROM timesheet_context.timesheets"
            " WHERE status NOT IN ('CLOSED') GROUP BY 1 ORDER BY 1").fetchall()
        say("    timesheets not yet closed: "
            + ", ".join(f"{n} {status}" for status, n in waiting))
        events = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE h.status = 'DONE')"
            " FROM ses_common.event_handlings h").fetchone()
        notes = conn.execute(
            "SELECT n.notification_type, count(DISTINCT n.id), count(d.id)"
            " FROM notification_context.notifications n"
            " LEFT JOIN notification_context.notification_deliveries d"
            "   ON d.notification_id = n.id AND d.notification_created_at = n.created_at"
            " GROUP BY 1 ORDER BY 1").fetchall()
        say(f"    events: {events[1]} of {events[0]} handlings done by the consumers; "
            "notifications produced: "
            + ", ".join(f"{kind} {n} ({d} deliveries)" for kind, n, d in notes))
    say("    look further (psql, as the cluster's superuser):")
    say(f"      psql '{dsn}' -c \"SELECT invoice_number, status, total_amount, paid_amount, "
        "due_date FROM billing_context.invoices WHERE direction = 'RECEIVABLE' "
        "ORDER BY invoice_number\"")
    say(f"      psql '{dsn}' -c \"SELECT e.entry_date, e.event_type, l.side, l.account_name, "
        "l.amount FROM billing_context.accounting_entries e JOIN "
        "billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id "
        "ORDER BY e.entry_date, e.id, l.line_no LIMIT 30\"")
    say(f"      psql '{dsn}' -c \"SELECT event_type, count(*) FROM ses_common.event_outbox "
        "GROUP BY 1 ORDER BY 1\"")
