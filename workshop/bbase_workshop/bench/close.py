"""``bbase bench close``: the SES monthly close at scale against a bare INSERT … SELECT floor.

In a scratch database (``bbase_bench_close``), prepared once per scale:

1. migrated, then filled by the seed's public command, ``bbase ses seed --scale N
   --replace`` (a subprocess with ``DATABASE_URL`` pointing at the scratch database);
2. **the bench's own month** (the fixture): the month before anything the seed wrote
   (its first timesheet, invoice or contract start), so the seed never touches it. Every
   live, signed customer contract of the seed and every live, signed partner contract
   under one is copied (same terms, engineer, project, customer, partner; new id and
   number ``<number>-M``) as an ACTIVE contract covering exactly that month, and each
   customer contract copy gets an APPROVED timesheet with one attendance row per weekday
   (09:00 to 18:00 with a deterministic per-contract and per-day deviation, one hour's
   break, 15-minute billing unit), its totals summed from those rows. The fixture is
   written set-based as the superuser with ``session_replication_role = replica`` (as
   tests/ses/close_world.py does): it stands in for a month of the timesheet workflow,
   which is not what is measured;
3. the floor's tables: ``bench_floor.invoices``, ``bench_floor.invoice_billing_items``
   and ``bench_floor.invoice_tax_summaries``, created ``LIKE`` the real ones with their
   defaults and indexes but no triggers, no check constraints, no foreign keys and no
   row-level security (the real tables carry the rules under test; the copies take the
   same row shapes and index maintenance without them).

Each round then runs, each in its own transaction that is rolled back (so every round
starts from the same state; ``VACUUM (ANALYZE)`` of the written tables follows, so
dead rows of earlier rounds cost nothing):

* **close**: ``billing_context.close_month(year, month, …)`` followed by ``SET
  CONSTRAINTS ALL IMMEDIATE`` (the deferred balance checks of the journal entries,
  which would otherwise run at commit), with ``track_functions = all`` so the phases
  can be read from ``pg_stat_xact_user_functions``;
* **floor**: three ``INSERT … SELECT`` producing the same invoices (one per contract side
  billed: the customer contract of each approved timesheet and the partner contracts
  under it for the same engineer), their lines (a base line, and an adjustment line
  where the hours fall outside the contract's range or the contract is hourly: the
  close's line count) and one tax summary per invoice, with the monthly price as the
  amount: no settlement methods, no proration, no rounding modes, no due-date rules, no
  journal entries, no events, no timesheet transitions, no reference checks.

The figures are medians over ``--runs`` rounds of each, and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bbase import migrate as mig
from bbase_workshop.bench import write_section
from bbase_workshop.pgcluster import workshop_dsn

BENCH_DB = "bbase_bench_close"
HEADING = "## SES monthly close"
OUR_NAME = "株式会社ビーベース"
OUR_T = "T1234567890123"
TABLES = ("billing_context.invoices", "billing_context.invoice_billing_items",
          "billing_context.invoice_tax_summaries", "billing_context.accounting_entries",
          "billing_context.accounting_entry_lines", "ses_common.event_outbox",
          "ses_common.event_handlings", "timesheet_context.timesheets",
          "timesheet_context.timesheet_approval_steps")

FIXTURE_STATE = """
CREATE TABLE IF NOT EXISTS public.bench_close_fixture (
    scale numeric NOT NULL, year integer NOT NULL, month integer NOT NULL,
    contracts integer NOT NULL, timesheets integer NOT NULL, attendances integer NOT NULL,
    seeded_seconds numeric NOT NULL
)
"""

SEED_STATE = """
CREATE TABLE IF NOT EXISTS public.bench_close_seed (scale numeric NOT NULL, seconds numeric)
"""

BENCH_MONTH = """
SELECT (date_trunc('month', least(
    (SELECT min(make_date(t.period_year, t.period_month, 1))
     FROM timesheet_context.timesheets AS t),
    (SELECT min(make_date(i.invoice_year, i.invoice_month, 1))
     FROM billing_context.invoices AS i),
    (SELECT min(c.start_date) FROM contract_context.contracts AS c),
    date_trunc('month', CURRENT_DATE)::date
)) - interval '1 month')::date
"""

SIGNED = "('DRAFT', 'PENDING_SIGNATURE', 'CANCELLED')"

CONTRACTS_TO_COPY = f"""
CREATE TEMP TABLE bench_copy ON COMMIT DROP AS
SELECT c.id AS old_id, md5('bench-close:contract:' || c.id)::uuid AS new_id
FROM contract_context.contracts AS c
LEFT JOIN contract_context.contracts AS u ON c.upstream_contract_id = u.id
WHERE c.deleted_at IS NULL AND c.status NOT IN {SIGNED}
  AND (c.contract_side = 'CUSTOMER'
       OR (u.contract_side = 'CUSTOMER' AND u.deleted_at IS NULL AND u.status NOT IN {SIGNED}))
"""

COPY_CONTRACTS = """
INSERT INTO contract_context.contracts
SELECT (jsonb_populate_record(NULL::contract_context.contracts, to_jsonb(c) || jsonb_build_object(
    'id', m.new_id, 'contract_number', c.contract_number || '-M',
    'upstream_contract_id', u.new_id, 'status', 'ACTIVE',
    'start_date', %(first)s::date, 'end_date', %(last)s::date,
    'signed_at', %(first)s::timestamptz - interval '10 days', 'terminated_at', NULL,
    'termination_reason', NULL, 'version', 1))).*
FROM contract_context.contracts AS c
INNER JOIN bench_copy AS m ON c.id = m.old_id
LEFT JOIN bench_copy AS u ON c.upstream_contract_id = u.old_id
"""

TIMESHEETS = """
INSERT INTO timesheet_context.timesheets (
    id, period_year, period_month, contract_id, engineer_id, project_id, customer_id, status,
    submitted_at, client_approved_at, approved_at, approved_by
)
SELECT md5('bench-close:timesheet:' || c.id)::uuid, %(year)s, %(month)s, c.id, c.engineer_id,
       c.project_id, c.customer_id, 'APPROVED', %(last)s::timestamptz + interval '1 day',
       %(last)s::timestamptz + interval '2 days', %(last)s::timestamptz + interval '3 days',
       coalesce(c.project_manager_id, c.sales_manager_id, c.customer_id)
FROM contract_context.contracts AS c
WHERE c.contract_side = 'CUSTOMER' AND c.start_date = %(first)s::date
  AND c.contract_number LIKE '%%-M'
"""

# Deviation from 8 h a day: a per-timesheet bias (-90..+90 min) plus a per-day jitter
# (-30..+30 min), both from md5 so the month is the same on every machine and run.
ATTENDANCES = """
INSERT INTO timesheet_context.daily_attendances (
    timesheet_id, period_year, period_month, engineer_id, work_date, attendance_type,
    start_time, end_time, break_minutes, work_minutes, billable_minutes
)
SELECT t.id, t.period_year, t.period_month, t.engineer_id, d.day::date, 'WORK',
       time '09:00', time '18:00' + make_interval(mins => w.delta), 60,
       480 + w.delta, 480 + w.delta - mod(480 + w.delta, 15)
FROM timesheet_context.timesheets AS t
CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d (day)
CROSS JOIN LATERAL (
    SELECT mod(('x' || substr(md5(t.id::text), 1, 7))::bit(28)::integer, 181) - 90
         + mod(('x' || substr(md5(t.id::text || d.day::text), 1, 7))::bit(28)::integer, 61) - 30
           AS delta
) AS w
WHERE t.period_year = %(year)s AND t.period_month = %(month)s AND extract(isodow FROM d.day) < 6
"""

TIMESHEET_TOTALS = """
UPDATE timesheet_context.timesheets AS t
SET working_days = a.days, total_work_minutes = a.work, billable_hours = a.billable / 60.0
FROM (
    SELECT timesheet_id, count(*) AS days, sum(work_minutes) AS work,
           sum(billable_minutes) AS billable
    FROM timesheet_context.daily_attendances
    WHERE period_year = %(year)s AND period_month = %(month)s
    GROUP BY timesheet_id
) AS a
WHERE t.id = a.timesheet_id AND t.period_year = %(year)s AND t.period_month = %(month)s
"""

FLOOR_TABLES = """
CREATE SCHEMA IF NOT EXISTS bench_floor;
DROP TABLE IF EXISTS bench_floor.invoices, bench_floor.invoice_billing_items,
    bench_floor.invoice_tax_summaries;
CREATE TABLE bench_floor.invoices
    (LIKE billing_context.invoices INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench_floor.invoice_billing_items
    (LIKE billing_context.invoice_billing_items INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench_floor.invoice_tax_summaries
    (LIKE billing_context.invoice_tax_summaries INCLUDING DEFAULTS INCLUDING INDEXES);
"""

FLOOR_INVOICES = """
WITH t AS (
    SELECT t.id, t.contract_id, t.engineer_id, t.billable_hours
    FROM timesheet_context.timesheets AS t
    WHERE t.period_year = %(year)s AND t.period_month = %(month)s AND t.status = 'APPROVED'
      AND t.deleted_at IS NULL
), side AS (
    SELECT 'RECEIVABLE' AS direction, k.id AS contract_id, t.id AS timesheet_id, t.billable_hours
    FROM t INNER JOIN contract_context.contracts AS k ON t.contract_id = k.id
    UNION ALL
    SELECT 'PAYABLE', p.id, t.id, t.billable_hours
    FROM t INNER JOIN contract_context.contracts AS p
        ON p.upstream_contract_id = t.contract_id AND p.engineer_id = t.engineer_id
       AND p.contract_side = 'PARTNER'
)
INSERT INTO bench_floor.invoices (
    id, invoice_year, invoice_month, invoice_number, direction, customer_id, contract_id,
    project_id, issuer_name, issuer_registration_no, recipient_name, service_period_start,
    service_period_end, issue_date, due_date, status, subtotal_amount, tax_amount, total_amount,
    billing_details
)
SELECT gen_random_uuid(), %(year)s, %(month)s,
       CASE s.direction WHEN 'RECEIVABLE' THEN 'AR-' ELSE 'AP-' END || k.contract_number,
       s.direction, k.customer_id, k.id, k.project_id,
       CASE s.direction WHEN 'RECEIVABLE' THEN %(our_name)s ELSE k.counterparty_name END,
       CASE s.direction WHEN 'RECEIVABLE' THEN %(our_t)s END,
       CASE s.direction WHEN 'RECEIVABLE' THEN k.counterparty_name ELSE %(our_name)s END,
       %(first)s::date, %(last)s::date, %(last)s::date, %(last)s::date + 30, 'ISSUED',
       k.monthly_unit_price, floor(k.monthly_unit_price / 10),
       k.monthly_unit_price + floor(k.monthly_unit_price / 10),
       jsonb_build_object('timesheetId', s.timesheet_id, 'hours', s.billable_hours,
                          'method', k.settlement_method, 'lower', k.lower_hours,
                          'upper', k.upper_hours)
FROM side AS s
INNER JOIN contract_context.contracts AS k ON s.contract_id = k.id
"""

FLOOR_LINES = """
INSERT INTO bench_floor.invoice_billing_items (
    invoice_id, invoice_year, line_no, item_type, description, contract_id, quantity, unit,
    unit_price, amount, settlement_details
)
SELECT i.id, i.invoice_year, l.line_no, l.item_type, i.invoice_number, i.contract_id, 1, l.unit,
       i.subtotal_amount, i.subtotal_amount, i.billing_details
FROM bench_floor.invoices AS i
CROSS JOIN LATERAL (SELECT (i.billing_details ->> 'hours')::numeric AS hours,
                           i.billing_details ->> 'method' AS method,
                           (i.billing_details ->> 'lower')::numeric AS lower_hours,
                           (i.billing_details ->> 'upper')::numeric AS upper_hours) AS h
CROSS JOIN LATERAL (VALUES (1::smallint, 'BASE_FEE', 'MONTH'), (2::smallint, 'OVERTIME', 'HOUR'))
    AS l (line_no, item_type, unit)
WHERE (l.line_no = 1 AND h.method <> 'HOURLY')
   OR (l.line_no = 2 AND ((h.method = 'HOURLY' AND h.hours > 0)
       OR (h.method IN ('UPPER_LOWER', 'MIDPOINT')
           AND (h.hours < h.lower_hours OR h.hours > h.upper_hours))))
"""

FLOOR_TAX = """
INSERT INTO bench_floor.invoice_tax_summaries (invoice_id, invoice_year, tax_rate, taxable_amount,
                                              tax_amount)
SELECT i.id, i.invoice_year, 0.10, i.subtotal_amount, i.tax_amount FROM bench_floor.invoices AS i
"""

CLOSE_COUNTS = """
SELECT count(*), (SELECT count(*) FROM billing_context.invoice_billing_items AS b
                  WHERE b.invoice_year = %(year)s AND b.invoice_id IN (
                      SELECT i.id FROM billing_context.invoices AS i
                      WHERE i.invoice_year = %(year)s AND i.invoice_month = %(month)s))
FROM billing_context.invoices AS i
WHERE i.invoice_year = %(year)s AND i.invoice_month = %(month)s
"""

FLOOR_COUNTS = """
SELECT (SELECT count(*) FROM bench_floor.invoices),
       (SELECT count(*) FROM bench_floor.invoice_billing_items)
"""

# Phases, from the functions' own times in this transaction (track_functions = all).
PHASES = """
SELECT f.funcname, f.total_time
FROM pg_stat_xact_user_functions AS f
WHERE f.schemaname IN ('billing_context', 'ses_common')
"""


GAP = (
    'About half of the close\'s time is per-row work that the floor does not do (one '
    'close at scale 10 profiled with auto_explain and its trigger times): the foreign keys of the '
    'lines, tax summaries and journal entries into the partitioned `invoices` (one key '
    'check per row: PostgreSQL 15 checks a key into a partitioned table row by row), the '
    "invoices' BEFORE UPDATE triggers (version, updated_at, frozen partition key) when "
    "their totals are set, and the timesheets' transition triggers (`timesheet_context` "
    '`tg_timesheets__record_transition`: an approval step with its step number, and a '
    "TimesheetClosed event, per timesheet). The close's own statements are set-based: one "
    '`INSERT … SELECT` for the invoices and lines, one each for tax summaries, journal '
    "entries and events; the cross-context reference checks and the outbox's queueing run "
    'once per statement over transition tables.'
)


@dataclass
class Fixture:
    year: int
    month: int
    contracts: int
    timesheets: int
    attendances: int
    seeded_seconds: float

    @property
    def params(self) -> dict[str, object]:
        first = dt.date(self.year, self.month, 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return {"year": self.year, "month": self.month, "first": first, "last": last,
                "our_name": OUR_NAME, "our_t": OUR_T}


@dataclass
class Round:
    close: float
    floor: float
    invoices: tuple[int, int]  # close's (invoices, lines)
    floor_rows: tuple[int, int]  # floor's (invoices, lines)
    phases: dict[str, float]  # seconds


def bench_dsn(dsn: str, dbname: str = BENCH_DB) -> str:
    parts = urlsplit(dsn)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (dbname,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    return urlunsplit(parts._replace(path="/" + dbname))


def _bbase() -> list[str]:
    found = shutil.which("bbase") or str(Path(sys.executable).with_name("bbase"))
    return [found]


def read_fixture(dsn: str, scale: float) -> Fixture | None:
    with psycopg.connect(dsn) as conn:
        if conn.execute("SELECT to_regclass('public.bench_close_fixture')").fetchone()[0] is None:
            return None
        row = conn.execute("SELECT year, month, contracts, timesheets, attendances,"
                           " seeded_seconds FROM public.bench_close_fixture WHERE scale = %s",
                           (scale,)).fetchone()
    return Fixture(row[0], row[1], row[2], row[3], row[4], float(row[5])) if row else None


def seeded(dsn: str, scale: float) -> float | None:
    """Seconds the seed of ``scale`` took (0.0 when not recorded), None when not seeded."""
    with psycopg.connect(dsn) as conn:
        conn.execute(SEED_STATE)
        row = conn.execute("SELECT seconds FROM public.bench_close_seed WHERE scale = %s",
                           (scale,)).fetchone()
    return None if row is None else float(row[0] or 0)


def prepare(dsn: str, scale: float, reseed: bool) -> Fixture:
    """Migrate, seed through the public command and build the month, unless done for ``scale``."""
    mig.migrate(dsn)
    seconds = None if reseed else seeded(dsn, scale)
    if seconds is None:
        print(f"bench close: seeding {BENCH_DB} with bbase ses seed --scale {scale}", flush=True)
        started = time.monotonic()
        subprocess.run([*_bbase(), "ses", "seed", "--scale", str(scale), "--replace"],
                       check=True, env={**os.environ, "DATABASE_URL": dsn},
                       stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        with psycopg.connect(dsn) as conn:
            conn.execute("DROP TABLE IF EXISTS public.bench_close_fixture")
            conn.execute("DELETE FROM public.bench_close_seed")
            conn.execute("INSERT INTO public.bench_close_seed VALUES (%s, %s)", (scale, seconds))
    fixture = read_fixture(dsn, scale)
    if fixture is not None:
        return fixture
    seeded_seconds = seconds
    with psycopg.connect(dsn) as conn:
        first = conn.execute(BENCH_MONTH).fetchone()[0]
        fixture = Fixture(first.year, first.month, 0, 0, 0, seeded_seconds)
        params = fixture.params
        for table in ("timesheet_context.timesheets", "billing_context.invoices"):
            conn.execute("SELECT ses_common.create_partitions(%s::regclass, %s, %s)",
                         (table, params["first"], params["first"]))
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(CONTRACTS_TO_COPY)
        conn.execute(COPY_CONTRACTS, params)
        fixture.contracts = conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        conn.execute("ANALYZE contract_context.contracts")
        fixture.timesheets = conn.execute(TIMESHEETS, params).rowcount
        fixture.attendances = conn.execute(ATTENDANCES, params).rowcount
        # Fresh statistics first: planned on the empty month, the totals' UPDATE
        # re-aggregates the attendance once per timesheet.
        conn.execute("ANALYZE timesheet_context.timesheets, timesheet_context.daily_attendances")
        conn.execute(TIMESHEET_TOTALS, params)
        conn.execute("SET LOCAL session_replication_role = origin")
        conn.execute(FLOOR_TABLES)
        conn.execute(FIXTURE_STATE)
        conn.execute("DELETE FROM public.bench_close_fixture")
        conn.execute("INSERT INTO public.bench_close_fixture VALUES (%s, %s, %s, %s, %s, %s, %s)",
                     (scale, fixture.year, fixture.month, fixture.contracts, fixture.timesheets,
                      fixture.attendances, seeded_seconds))
    vacuum(dsn)
    return fixture


def vacuum(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(*table.split("."))))


def run_close(dsn: str, fixture: Fixture) -> tuple[float, tuple[int, int], dict[str, float]]:
    """One close in a transaction rolled back: wall seconds, (invoices, lines), phases."""
    p = fixture.params
    with psycopg.connect(dsn) as conn:
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                                 ).fetchone()[0]
        if superuser:
            conn.execute("SET LOCAL track_functions = 'all'")
        started = time.perf_counter()
        conn.execute("SELECT billing_context.close_month(%s, %s, %s, %s)",
                     (fixture.year, fixture.month, OUR_NAME, OUR_T))
        closed = time.perf_counter()
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = time.perf_counter() - started
        deferred = time.perf_counter() - closed
        counts = conn.execute(CLOSE_COUNTS, p).fetchone()
        times = {name: ms / 1000 for name, ms in conn.execute(PHASES).fetchall()}
        conn.rollback()
    return seconds, (counts[0], counts[1]), phases(times, deferred)


def phases(t: dict[str, float], deferred: float) -> dict[str, float]:
    """Seconds per phase of the close, from its functions' total times (empty without them)."""
    if "close_month" not in t:
        return {}
    g = t.get
    settlement = g("list_month_billables", 0) + g("compute_settlement", 0)
    tax = g("summarize_invoices_tax", 0)
    journals = g("post_journal_entries", 0)
    events = g("emit_events", 0)
    issue = g("issue_month_invoices", 0)
    return {
        "settlement (list_month_billables, compute_settlement)": settlement,
        "invoices and lines (one INSERT … SELECT, with reference checks)":
            issue - settlement - tax - journals - events,
        "tax once per invoice and rate (summarize_invoices_tax)": tax,
        "journal entries (post_journal_entries)": journals,
        "InvoiceIssued / PayableRecorded events (emit_events)": events,
        "timesheets locked and CLOSED (their transition triggers, TimesheetClosed)":
            g("close_month", 0) - issue,
        "deferred balance checks (SET CONSTRAINTS ALL IMMEDIATE)": deferred,
    }


def run_floor(dsn: str, fixture: Fixture) -> tuple[float, tuple[int, int]]:
    p = fixture.params
    with psycopg.connect(dsn) as conn:
        started = time.perf_counter()
        for statement in (FLOOR_INVOICES, FLOOR_LINES, FLOOR_TAX):
            conn.execute(statement, p)
        seconds = time.perf_counter() - started
        counts = conn.execute(FLOOR_COUNTS).fetchone()
        conn.rollback()
    return seconds, (counts[0], counts[1])


def measure(dsn: str, fixture: Fixture, runs: int) -> list[Round]:
    rounds = []
    for r in range(runs):
        floor_s, floor_rows = run_floor(dsn, fixture)
        vacuum(dsn)
        close_s, rows, times = run_close(dsn, fixture)
        vacuum(dsn)
        if rows[0] != floor_rows[0]:
            raise RuntimeError(f"bench close: the close made {rows[0]} invoices, the floor"
                               f" {floor_rows[0]}: the floor is not the same work")
        rounds.append(Round(close_s, floor_s, rows, floor_rows, times))
        print(f"round {r + 1}: close {close_s:.2f} s ({rows[0]:,} invoices, {rows[1]:,} lines),"
              f" floor {floor_s:.2f} s ({floor_rows[0]:,} invoices, {floor_rows[1]:,} lines)",
              flush=True)
    return rounds


def render(args: argparse.Namespace, fixture: Fixture, rounds: list[Round], server: str,
           load: tuple[float, float]) -> str:
    close = statistics.median(r.close for r in rounds)
    floor = statistics.median(r.floor for r in rounds)
    invoices, lines = rounds[-1].invoices
    floor_lines = rounds[-1].floor_rows[1]
    ratio = close / floor
    verdict = "within" if ratio <= 5 else "outside"
    seed_time = f" ({fixture.seeded_seconds:.0f} s)" if fixture.seeded_seconds else ""
    lines_out = [
        HEADING,
        "",
        "```sh",
        f".venv/bin/bbase bench close --scale {args.scale:g} --runs {args.runs} --write-docs"
        "   # workshop/bbase_workshop/bench/close.py",
        "```",
        "",
        f"Run on {dt.date.today()}, PostgreSQL {server}, the embedded local cluster, 2 cores "
        f"shared with other jobs (load average {load[0]:.1f} / {load[1]:.1f} at the start). "
        f"The scratch database `{BENCH_DB}` is filled by `bbase ses seed --scale "
        f"{args.scale:g}`{seed_time}; the bench's own month, "
        f"{fixture.year}-{fixture.month:02d} (before anything the seed wrote), holds a copy of "
        f"each of the seed's {fixture.contracts:,} live signed contracts (customer contracts "
        "and the partner contracts under them, same terms, covering exactly that month) and "
        f"{fixture.timesheets:,} APPROVED timesheets with {fixture.attendances:,} attendance "
        "days (written set-based as the superuser with triggers off: they stand in for the "
        "timesheet workflow, which is not measured here). Each round runs in a transaction "
        "rolled back afterwards (same starting state every round, `VACUUM (ANALYZE)` between):",
        "",
        "* **close**: `billing_context.close_month(year, month, issuer, T-number)` then `SET "
        "CONSTRAINTS ALL IMMEDIATE` (the journal entries' deferred balance checks, due at "
        f"commit): {invoices:,} invoices (receivables and payables) with {lines:,} lines, "
        "their tax summaries, journal entries, InvoiceIssued / PayableRecorded events and "
        "the timesheets CLOSED with their transition steps and TimesheetClosed events, "
        "every rule and trigger on;",
        "* **floor**: three `INSERT … SELECT` writing the same invoices "
        f"({invoices:,}), their lines ({floor_lines:,}: a base line, and an adjustment line "
        "where the hours fall outside the range) and one tax summary each, with the monthly "
        "price as the amount, into copies of the three tables (`LIKE … INCLUDING DEFAULTS "
        "INCLUDING INDEXES`: the same row shapes and index maintenance, without the rules' "
        "triggers, checks, foreign keys and row-level security that the real tables carry): "
        "no settlement, no journal entries, no events, no timesheet transitions.",
        "",
        f"| side | p50 s ({args.runs} runs) | min s | max s |",
        "|---|---:|---:|---:|",
        f"| floor: 3 × `INSERT … SELECT` | {floor:.2f} | {min(r.floor for r in rounds):.2f} | "
        f"{max(r.floor for r in rounds):.2f} |",
        f"| `billing_context.close_month` | {close:.2f} | {min(r.close for r in rounds):.2f} | "
        f"{max(r.close for r in rounds):.2f} |",
        "",
        f"The close takes **{ratio:.1f}×** the floor ({verdict} the target of 5×).",
    ]
    if rounds[0].phases:
        names = list(rounds[0].phases)
        lines_out += [
            "",
            "Where the close's time goes (functions' own times in the transaction, "
            "`track_functions = all`; median over the runs):",
            "",
            "| phase | p50 s | share |",
            "|---|---:|---:|",
        ]
        for name in names:
            value = statistics.median(r.phases[name] for r in rounds)
            lines_out.append(f"| {name} | {value:.2f} | {value / close:.0%} |")
    lines_out += ["", GAP]
    lines_out.append("")
    return "\n".join(lines_out)


def cmd_bench(args: argparse.Namespace) -> int:
    if not (args.scale > 0 and args.runs >= 1):
        raise SystemExit("bbase: --scale > 0 and --runs >= 1")
    dsn = bench_dsn(workshop_dsn())
    load = os.getloadavg()[:2]
    fixture = prepare(dsn, args.scale, args.reseed)
    with psycopg.connect(dsn) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    rounds = measure(dsn, fixture, args.runs)
    section = render(args, fixture, rounds, server, (load[0], load[1]))
    print(section)
    if args.write_docs:
        write_section(section)
        print("wrote the SES monthly close section of docs/benchmarks.md")
    return 0
