"""``bbase ses``: the SES database's operational commands (refresh statistics, rotate the
personal data keys, run the event consumers).

The workshop adds ``bbase ses seed`` (generated data) to this group."""

from __future__ import annotations

import argparse

from bbase.cli import GROUPS
from bbase.config import resolve_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ses", help="SES database: refresh statistics, rotate personal data keys,"
                                   " run the event consumers"
                                   " (and, in a checkout, generate data)")
    cmds = p.add_subparsers(dest="ses_command", required=True, metavar="SUBCOMMAND",
                            help="the SES operation to run")
    GROUPS["ses"] = cmds

    r = cmds.add_parser("refresh", help="refresh the report_context materialized views")
    r.set_defaults(func=cmd_refresh)

    k = cmds.add_parser(
        "rotate-keys",
        help="re-encrypt every personal value under the current key version, in batches",
        description="Re-encrypts, one short transaction per batch, every encrypted personal"
                    " value whose key version is not the current one (version 0, clear text"
                    " left by migration 0181, included), until none remains. Safe while the"
                    " system runs and when two run at once. Keys: SES_KEYS_SECRET_ID (AWS"
                    " Secrets Manager) or SES_KEYS_FILE (or .local/ses-keys.json with --local).")
    k.add_argument("--new-key", action="store_true",
                   help="first add a fresh random key version to the key set (secret or key"
                        " file) and make it current")
    k.add_argument("--batch-size", type=int, default=1000, metavar="N",
                   help="rows per table per transaction (1-100000, default 1000)")
    k.set_defaults(func=cmd_rotate_keys)

    t = cmds.add_parser(
        "transfer-file",
        help="write the Zengin transfer file (総合振込) of the open payables due by a date",
        description="Builds, in one transaction rolled back afterwards, as the connecting"
                    " role (finance or admin: it decrypts account numbers), the Zengin"
                    " transfer file for the"
                    " payment date from the open payables due by then, writes it (cp932, 120"
                    " bytes a record, CRLF) and prints a summary. The batch is refused whole,"
                    " naming each account, if any account is INVALID or its bank/branch is not"
                    " in the Zengin master, or the date is not a bank business day. Keys:"
                    " SES_KEYS_SECRET_ID or SES_KEYS_FILE (or .local/ses-keys.json with --local).")
    t.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                   help="payment date (振込指定日): a future bank business day")
    t.add_argument("--out", required=True, metavar="FILE",
                   help="file to write; not overwritten if it exists")
    t.set_defaults(func=cmd_transfer_file)
    e = cmds.add_parser(
        "events",
        help="run the event consumers (notifications, reports) over the event outbox",
        description="Calls ses_common.consume_events for each active consumer (or only"
                    " --consumer), one batch per transaction: each due event is handled once per"
                    " consumer, failures are retried with backoff and end DEAD after the"
                    " consumer's max_attempts. Safe to run in several sessions at once.")
    e.add_argument("--consumer", metavar="NAME",
                   help="only this consumer (see ses_common.event_consumers); default every"
                        " active one")
    e.add_argument("--batch", type=int, default=100, metavar="N",
                   help="events per consumer per transaction (1-10000, default 100)")
    e.add_argument("--until-empty", action="store_true",
                   help="repeat until no event is due (default: one batch per consumer)")
    e.add_argument("--retry-dead", action="store_true",
                   help="first put the consumer's DEAD events back in its queue"
                        " (ses_common.retry_dead_events); needs --consumer")
    e.set_defaults(func=cmd_events)


def cmd_refresh(args: argparse.Namespace) -> int:

    from bbase.connection import connect

    with connect(resolve_dsn(), autocommit=True) as conn:
        for view, seconds in conn.execute("SELECT * FROM report_context.refresh_stats()"):
            print(f"refreshed {view} in {seconds:.3f} s")
    return 0


def cmd_rotate_keys(args: argparse.Namespace) -> int:

    from bbase.connection import connect
    from bbase.keys import KeySetError, KeySource, load_keys

    if not 1 <= args.batch_size <= 100000:
        raise KeySetError(f"--batch-size: {args.batch_size} is not between 1 and 100000")
    source = KeySource.from_env()
    keys = source.read()
    if args.new_key:
        keys = keys.with_new_version()
        source.write(keys)
        print(f"{source.describe()}: added key version {keys.current}, now current")
    totals: dict[str, int] = {}
    with connect(resolve_dsn()) as conn:
        while True:
            load_keys(conn, keys)
            rows = conn.execute("SELECT * FROM ses_common.rotate_personal_data_keys(%s)",
                                (args.batch_size,)).fetchall()
            conn.commit()
            for table, rotated, _remaining in rows:
                totals[table] = totals.get(table, 0) + rotated
            left = sum(remaining for _, _, remaining in rows)
            if not any(rotated for _, rotated, _ in rows):
                break
    for table, n in totals.items():
        print(f"  {table:<50} {n:>10,} rows re-encrypted")
    if left:
        print(f"bbase: {left:,} rows still locked by other transactions; run it again")
        return 1
    print(f"ses rotate-keys: every personal value is at key version {keys.current}")
    return 0


def cmd_transfer_file(args: argparse.Namespace) -> int:
    import datetime
    from pathlib import Path

    from bbase import transfer_file
    from bbase.config import ConfigError
    from bbase.connection import connect
    from bbase.keys import KeySource, load_keys

    try:
        payment_date = datetime.date.fromisoformat(args.date)
    except ValueError:
        raise ConfigError(f"--date: {args.date!r} is not a date YYYY-MM-DD") from None
    out = Path(args.out)
    if out.exists():
        raise ConfigError(f"--out: {out} exists; not overwritten")
    keys = KeySource.from_env().read()
    with connect(resolve_dsn()) as conn:
        load_keys(conn, keys)
        data = transfer_file.build(conn, payment_date)
        conn.rollback()
    parsed = transfer_file.parse(data)  # what the bank will read
    with out.open("xb") as f:
        f.write(data)
    for line in transfer_file.summary(parsed, payment_date):
        print(line)
    print(f"ses transfer-file: wrote {out} ({len(data):,} bytes)")


def cmd_events(args: argparse.Namespace) -> int:

    from bbase.connection import connect
    from bbase.errors import BbaseError

    if args.retry_dead and not args.consumer:
        raise BbaseError("--retry-dead: name the consumer with --consumer")
    totals: dict[str, list[int]] = {}
    with connect(resolve_dsn(), autocommit=True,
                         application_name="bbase ses events") as conn:
        if args.consumer:
            consumers = [args.consumer]
        else:
            consumers = [r[0] for r in conn.execute(
                "SELECT consumer FROM ses_common.event_consumers"
                " WHERE is_active ORDER BY consumer")]
        if args.retry_dead:
            n = conn.execute("SELECT ses_common.retry_dead_events(%s)",
                             (args.consumer,)).fetchone()[0]
            print(f"{args.consumer}: {n} dead events queued again")
        pending = list(consumers)
        while pending:
            for consumer in list(pending):
                # autocommit: each call is its own transaction, so locks last one batch
                name, claimed, done, retrying, dead = conn.execute(
                    "SELECT * FROM ses_common.consume_events(%s, %s)",
                    (consumer, args.batch)).fetchone()
                t = totals.setdefault(name, [0, 0, 0, 0])
                for i, v in enumerate((claimed, done, retrying, dead)):
                    t[i] += v
                if not claimed or not args.until_empty:
                    pending.remove(consumer)
    for name, (claimed, done, retrying, dead) in totals.items():
        print(f"{name}: {claimed} claimed, {done} done, {retrying} retrying, {dead} dead")
    return 0
