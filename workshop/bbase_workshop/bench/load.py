"""``bbase bench load``: a mixed SES workload of many users at once, through a pooler,
against ``pgbench``'s own workloads on the same server at the same client counts.

**The mix** (pgbench custom scripts in ``bench/load_scripts/``, ``-f script@weight``).
Every transaction acts as one real user of the seeded data under row-level security,
as an application server behind a transaction pooler does::

    BEGIN; <look the user up in bench_load>; SET LOCAL ROLE <ses role>;
    SELECT ses_common.act_as('<user id>'); <the user's statements>; END;

The weights follow who uses an SES company's database, and how often:

=====================  ======  =================================================================
script                 weight  why
=====================  ======  =================================================================
engineer_attendance    40      engineers are most of the users (10,000 at scale 10 against a few
                               hundred managers) and enter their attendance every working day:
                               the main write (``timesheet_context.record_attendance``, a day
                               read back first for its version, the month read back after)
manager_review         25      project managers open their dashboard many times a day (their
                               projects, last month's timesheets of them) and approve the
                               customer-approved timesheets internally (``approve_timesheet_
                               internally``) at the start of the month
sales_search           15      sales look engineers up by skill for every request from a
                               customer (GIN index on ``engineers.skills``, column grants)
customer_approval      10      customers look at their engineers' timesheets and approve the
                               submitted ones (``approve_timesheet_as_customer``): once a month
                               each, but all in the first days of the month
finance_receipt        10      finance lists the unpaid receivables by due date and records the
                               day's receipts (``billing_context.record_receipt``: payment,
                               status, balanced journal entry, event)
=====================  ======  =================================================================

The statements of a transaction go in two or three round trips (pgbench's ``\\;`` joins
statements into one query: ``BEGIN \\; <lookup>``, then ``SET LOCAL ROLE \\; act_as \\;
<reads>``, then ``<write> \\; END``), as an application behind a transaction pooler should
send them: between two round trips of a transaction its server connection waits, idle, for
the client, and the pool has only a few.

Beside the mix, one more pgbench client runs the monthly close of last month
(``billing_context.close_month``, ``month_close.sql``) at a fixed rate (``-R``), as finance
does in the first days of a month: it invoices the timesheets the managers approved.

Write conflicts are avoided the way an application avoids them, so that errors mean a
fault and not a collision the bench made: an engineer is one person (each client owns the
(timesheet, day) slots congruent to its client id), and an approval or a receipt claims its
row with ``FOR UPDATE SKIP LOCKED`` and writes at the version it locked (a row another
client holds is left for later: that transaction only reads).

**Data.** A scratch database (``bbase_bench_load``) migrated and filled by
``bbase ses seed --scale N`` (the public command) when it holds no SES data or
``--reseed``. The bench's own fixtures go in schema ``bench_load``: the users to act as
(this month's DRAFT timesheets with their engineers, created for active customer contracts
that have none; last month's timesheets with their customers and project managers; the open
receivables; the projects' sales managers; a finance user) and one login per SES role the
mix acts as (``bbase_bench_engineer``, ``_manager``, ``_customer``, ``_finance``, each a member
of its role only, with generic plans), as docs/ses.md advises: PgBouncer keeps one pool per
login, so a server connection always runs as one role and its cached plans stay valid. The
mix is therefore one pgbench per login, side by side, the clients of a step split among them
by weight (at least one each); TPS and latencies are summed and merged over them.

**Baselines, same run, same client counts** (database ``bbase_bench_tpcb``, ``pgbench -i``):
``pgbench -S`` (built-in select-only: one primary-key read per transaction, the ceiling of
short transactions) and the built-in TPC-B-like script, through the same PgBouncer and, up to
what the server's ``max_connections`` allows, directly.

**Per step** (clients 10 -> 100 -> 500 -> 1,000 by default): TPS, p50/p95/p99 latency from
pgbench's per-transaction logs (``-l``, all transactions), failed transactions and aborted
clients (pgbench stops a client at the first error that is not a serialization failure or
deadlock; both are counted), and the server connections in use, sampled every half second
during the step from PgBouncer's ``SHOW POOLS`` and ``pg_stat_activity``.

**Saturated and paced.** pgbench's clients start their next transaction as soon as one ends
(closed loop): the "mix" runs measure throughput, and their latency at many clients is the
queue in front of the pool (clients / throughput). The "mix paced" runs (pooler only) offer a
fixed rate (``--rate``; default half the mix's throughput at the first step) as Poisson
arrivals over all clients (``-R``, split among the logins by weight), with latency counted from
the scheduled start: the latency of 1,000 connected users who pause between transactions.

**At the end**: ``ses_monitoring.check_consistency()`` (journals balance, every attendance
day in its timesheet's totals, no invoice twice); any violation makes the command fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bbase import migrate as mig
from bbase_workshop.bench import write_section
from bbase_workshop.pgcluster import workshop_dsn

HEADING = "## SES mixed load through the pooler"
BENCH_DB = "bbase_bench_load"
TPCB_DB = "bbase_bench_tpcb"
#: One login per SES role, as docs/ses.md advises, so PgBouncer keeps one pool per role and
#: a server connection always runs as the same role: a cached plan (plpgsql's too) is
#: re-planned when the role under it changes, and on the partitioned, row-secured tables
#: that re-planning costs more than the statement (measured: record_attendance about ten
#: times slower when engineer and admin calls alternate on one connection).
LOGINS = {
    "bbase_bench_engineer": ("engineer_attendance",),
    "bbase_bench_manager": ("manager_review", "sales_search"),
    "bbase_bench_customer": ("customer_approval",),
    "bbase_bench_finance": ("finance_receipt",),
}
LOGIN_ROLES = {"bbase_bench_engineer": "ses_engineer_role",
               "bbase_bench_manager": "ses_project_manager_role",
               "bbase_bench_customer": "ses_customer_role",
               "bbase_bench_finance": "ses_finance_role"}
SCRIPTS = Path(__file__).with_name("load_scripts")
PGBENCH = shutil.which("pgbench") or "/usr/bin/pgbench"
MIX = (("engineer_attendance", 40), ("manager_review", 25), ("sales_search", 15),
       ("customer_approval", 10), ("finance_receipt", 10))
#: The one finance user the mix acts as (finance may act as any user id).
FINANCE_USER = "0b5e7c1a-2f4d-4e8b-9a6c-3d1f0e2b4a57"
#: Connections kept free of direct runs: superuser_reserved_connections, this process's
#: own sessions, the colleagues' psql.
DIRECT_HEADROOM = 13
TARGET_P95_MS = 50.0
TARGET_SHARE = 0.5


# --- data --------------------------------------------------------------------------------

def _with_db(dsn: str, dbname: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path="/" + dbname))


def _as_user(dsn: str, user: str) -> str:
    """The same server and database as another (password-less, trusted) login."""
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.netloc.rpartition('@')[2]}"))


def create_database(dsn: str, dbname: str) -> str:
    with psycopg.connect(_with_db(dsn, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (dbname,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    return _with_db(dsn, dbname)


def has_ses_data(dsn: str) -> bool:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT EXISTS (SELECT FROM timesheet_context.timesheets)"
                            ).fetchone()[0]


def seed(dsn: str, scale: float) -> None:
    """``bbase ses seed --scale N --replace`` on ``dsn`` (the public command, its output shown)."""
    env = {**os.environ, "DATABASE_URL": dsn}
    env.pop("DATABASE_DIRECT_URL", None)
    bbase = str(Path(sys.executable).with_name("bbase"))
    subprocess.run([bbase, "ses", "seed", "--scale", str(scale), "--replace"], env=env,
                   check=True, stdout=subprocess.DEVNULL)


FIXTURES = """
DROP SCHEMA IF EXISTS bench_load CASCADE;
CREATE SCHEMA bench_load;
COMMENT ON SCHEMA bench_load IS 'bbase bench load: the users its clients act as (bench only).';

-- This month's DRAFT timesheet of every active customer contract that has none yet.
INSERT INTO timesheet_context.timesheets (
    period_year, period_month, contract_id, engineer_id, project_id, customer_id, status)
SELECT %(y)s, %(m)s, c.id, c.engineer_id, c.project_id, c.customer_id, 'DRAFT'
FROM contract_context.contracts AS c
WHERE c.contract_side = 'CUSTOMER' AND c.status = 'ACTIVE' AND c.deleted_at IS NULL
  AND c.start_date <= make_date(%(y)s, %(m)s, 28)
  AND (c.end_date IS NULL OR c.end_date >= make_date(%(y)s, %(m)s, 1))
  AND NOT EXISTS (SELECT FROM timesheet_context.timesheets AS t
                  WHERE t.contract_id = c.id AND t.period_year = %(y)s AND t.period_month = %(m)s);

CREATE TABLE bench_load.engineer_sheets AS
SELECT (row_number() OVER (ORDER BY t.id) - 1)::integer AS sheet_no,
       t.engineer_id, t.id AS timesheet_id
FROM timesheet_context.timesheets AS t
WHERE t.period_year = %(y)s AND t.period_month = %(m)s AND t.status = 'DRAFT'
  AND t.deleted_at IS NULL AND t.engineer_id IS NOT NULL;

-- Last month's timesheets past DRAFT that a customer and a manager can act on: no
-- unacknowledged ALERT (an internal approval would be refused, SE173), customer approval
-- needed (the contract's gate), the project's manager known.
CREATE TABLE bench_load.month_sheets AS
SELECT (row_number() OVER (ORDER BY t.id) - 1)::integer AS slot,
       t.id AS timesheet_id, t.customer_id, p.project_manager_id
FROM timesheet_context.timesheets AS t
JOIN contract_context.contracts AS c ON c.id = t.contract_id
JOIN project_context.projects AS p ON p.id = t.project_id
WHERE t.period_year = %(py)s AND t.period_month = %(pm)s AND t.status <> 'DRAFT'
  AND t.deleted_at IS NULL AND t.customer_id IS NOT NULL AND p.project_manager_id IS NOT NULL
  AND c.client_approval_gate <> 'NONE'
  AND NOT timesheet_context.has_unacknowledged_alert(t.id);

CREATE TABLE bench_load.open_invoices AS
SELECT (row_number() OVER (ORDER BY i.id) - 1)::integer AS slot, i.id AS invoice_id,
       i.invoice_year
FROM billing_context.invoices AS i
WHERE i.direction = 'RECEIVABLE' AND i.status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE')
  AND i.total_amount - i.paid_amount >= 1 AND i.deleted_at IS NULL;

CREATE TABLE bench_load.sales_users AS
SELECT (row_number() OVER (ORDER BY u.user_id) - 1)::integer AS sales_no, u.user_id
FROM (SELECT DISTINCT p.sales_manager_id AS user_id FROM project_context.projects AS p
      WHERE p.sales_manager_id IS NOT NULL AND p.deleted_at IS NULL) AS u;

ALTER TABLE bench_load.engineer_sheets ADD PRIMARY KEY (sheet_no);
ALTER TABLE bench_load.month_sheets ADD PRIMARY KEY (slot);
ALTER TABLE bench_load.open_invoices ADD PRIMARY KEY (slot);
ALTER TABLE bench_load.sales_users ADD PRIMARY KEY (sales_no);
"""

FIXTURE_TABLES = {"n_sheets": "engineer_sheets", "n_month": "month_sheets",
                  "n_invoices": "open_invoices", "n_sales": "sales_users"}
#: Which fixture each script needs rows of (a script without them is left out of the mix).
NEEDS = {"engineer_attendance": "n_sheets", "manager_review": "n_month",
         "customer_approval": "n_month", "finance_receipt": "n_invoices",
         "sales_search": "n_sales"}


def install_fixtures(dsn: str, today: dt.date) -> dict[str, int]:
    """The bench_load schema and login; returns the fixture sizes (pgbench variables)."""
    prev = today.replace(day=1) - dt.timedelta(days=1)
    params = {"y": today.year, "m": today.month, "py": prev.year, "pm": prev.month}
    with psycopg.connect(dsn) as conn:
        conn.execute("SELECT ses_common.create_partitions_ahead()")
        conn.execute("SET LOCAL ses_common.maintenance = on")
        for statement in FIXTURES.split(";\n"):
            if statement.strip():
                conn.execute(statement, params)  # type: ignore[arg-type]
        for login, role in LOGIN_ROLES.items():
            ident = sql.Identifier(login)
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                (login,)).fetchone():
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role), ident))
            # docs/ses.md, "Plan cache": application logins get generic plans (the policies'
            # subqueries over partitioned tables make custom plans re-plan every call).
            conn.execute(sql.SQL("ALTER ROLE {} SET plan_cache_mode = force_generic_plan")
                         .format(ident))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA bench_load TO {}").format(ident))
            conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA bench_load TO {}")
                         .format(ident))
        sizes = {var: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier("bench_load", table))).fetchone()[0]
            for var, table in FIXTURE_TABLES.items()}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) timesheet_context.timesheets,"
                      " timesheet_context.daily_attendances, billing_context.invoices")
    return {**params, **sizes}


def prepare_tpcb(dsn: str, scale: int) -> None:
    """``pgbench -i -s scale`` in the baseline database, unless it holds that scale already."""
    with psycopg.connect(dsn) as conn:
        ready = conn.execute(
            "SELECT to_regclass('public.pgbench_branches') IS NOT NULL").fetchone()[0]
        if ready and conn.execute("SELECT count(*) FROM pgbench_branches").fetchone()[0] == scale:
            return
    subprocess.run([PGBENCH, "-i", "-q", "-s", str(scale), *_conn_args(dsn)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_pg_env(dsn))


# --- running pgbench ---------------------------------------------------------------------

def _conn_args(dsn: str) -> list[str]:
    parts = urlsplit(dsn)
    return ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", unquote(parts.username or "postgres"), unquote(parts.path.lstrip("/"))]


def _pg_env(dsn: str, app: str = "bbase-bench-load") -> dict[str, str]:
    env = {**os.environ, "PGAPPNAME": app}
    password = urlsplit(dsn).password
    if password:
        env["PGPASSWORD"] = unquote(password)
    return env


@dataclass
class Run:
    """One pgbench run: a workload at a client count on a route."""

    workload: str
    route: str
    clients: int
    tps: float = 0.0
    transactions: int = 0
    failed: int = 0
    aborted_clients: int = 0
    p50_ms: float = math.nan
    p95_ms: float = math.nan
    p99_ms: float = math.nan
    per_script_p95_ms: dict[str, float] = field(default_factory=dict)
    per_script_p50_ms: dict[str, float] = field(default_factory=dict)
    per_script_transactions: dict[str, int] = field(default_factory=dict)
    server_connections_max: int = 0
    server_connections_active_median: float = 0.0
    pool_server_max: int | None = None
    pool_clients_waiting_max: int | None = None
    errors: list[str] = field(default_factory=list)
    skipped: str | None = None
    #: The paced mix: the rate pgbench schedules transactions at (-R), over all clients.
    offered_tps: float | None = None


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (NaN when empty)."""
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def read_logs(logdir: Path, prefix: str) -> tuple[list[float], dict[int, list[float]], int]:
    """Latencies (ms, sorted), per script number, and failed transactions from ``-l`` logs.

    A line is ``client_id transaction_no time script_no time_epoch time_us [...]``; ``time``
    is microseconds, or ``failed`` / ``skipped``.
    """
    latencies: list[float] = []
    per_script: dict[int, list[float]] = {}
    failed = 0
    for path in logdir.glob(prefix + ".*"):
        with path.open() as f:
            for line in f:
                fields = line.split()
                if len(fields) < 4:
                    continue
                if fields[2] == "failed":
                    failed += 1
                    continue
                if not fields[2].isdigit():
                    continue
                ms = int(fields[2]) / 1000.0
                latencies.append(ms)
                per_script.setdefault(int(fields[3]), []).append(ms)
    latencies.sort()
    for values in per_script.values():
        values.sort()
    return latencies, per_script, failed


ABORTED = re.compile(r"client \d+ (?:script \d+ )?aborted[^:]*: (?:ERROR:\s*)?(.*)")


class Sampler:
    """Server connections in use, every half second while a step runs."""

    def __init__(self, server_dsn: str, dbname: str, pooler=None) -> None:
        self.server_dsn, self.dbname, self.pooler = server_dsn, dbname, pooler
        self.totals: list[int] = []
        self.active: list[int] = []
        self.pool_servers: list[int] = []
        self.waiting: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                total, active = conn.execute(
                    "SELECT count(*), count(*) FILTER (WHERE state <> 'idle')"
                    " FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
                    " AND pid <> pg_backend_pid()", (self.dbname,)).fetchone()
                self.totals.append(total)
                self.active.append(active)
                if self.pooler is not None:
                    try:
                        pools = [p for p in self.pooler.show("POOLS")
                                 if p["database"] == self.dbname]
                    except psycopg.Error:
                        continue
                    self.pool_servers.append(sum(
                        int(p["sv_active"]) + int(p["sv_idle"]) + int(p["sv_used"])
                        + int(p["sv_tested"]) + int(p["sv_login"]) for p in pools))
                    self.waiting.append(sum(int(p["cl_waiting"]) for p in pools))


@dataclass
class Job:
    """One pgbench process of a run: a login, its clients and scripts."""

    name: str
    dsn: str
    clients: int
    args: list[str]
    #: Script names in pgbench's numbering (per-script latencies).
    scripts: list[str]
    #: False for the background close: not part of the run's TPS and latency.
    counted: bool = True


def _parse(out: str, err: str) -> tuple[float, int, int, list[str], bool]:
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    processed = re.search(r"number of transactions actually processed: (\d+)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    aborted = [m.group(1).strip() for m in ABORTED.finditer(err)]
    return (float(tps.group(1)) if tps else 0.0, int(processed.group(1)) if processed else 0,
            int(failed.group(1)) if failed else 0, aborted, bool(tps))


def pgbench(run: Run, jobs: list[Job], duration: int, logdir: Path, server_dsn: str,
            pooler=None) -> Run:
    """Run the jobs' pgbench processes side by side for ``duration`` seconds; sum them."""
    dbname = unquote(urlsplit(jobs[0].dsn).path.lstrip("/"))
    procs = []
    with Sampler(server_dsn, dbname, pooler) as sampler:
        for job in jobs:
            prefix = f"{run.workload}-{run.route}-{run.clients}-{job.name}".replace(" ", "_")
            threads = max(1, min(job.clients, os.cpu_count() or 1))
            argv = [PGBENCH, "-n", "-c", str(job.clients), "-j", str(threads), "-T",
                    str(duration), "-l", f"--log-prefix={logdir / prefix}", *job.args,
                    *_conn_args(job.dsn)]
            procs.append((job, prefix, subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=_pg_env(job.dsn, f"bbase-bench-{job.name}"))))
        outputs = [(job, prefix, *proc.communicate(), proc.returncode)
                   for job, prefix, proc in procs]
    latencies: list[float] = []
    errors: list[str] = []
    for job, prefix, out, err, code in outputs:
        tps, processed, failed, aborted, ok = _parse(out, err)
        lat, per_script, failed_logged = read_logs(logdir, prefix)
        failed = max(failed, failed_logged)
        names = job.scripts or [job.name]
        for n, values in sorted(per_script.items()):
            label = names[n] if n < len(names) else f"{job.name} {n}"
            key = label if job.counted else f"{label} (background)"
            run.per_script_p95_ms[key] = percentile(values, 0.95)
            run.per_script_p50_ms[key] = percentile(values, 0.5)
            run.per_script_transactions[key] = len(values)
        if job.counted:
            run.tps += tps
            run.transactions += processed
            latencies.extend(lat)
        run.failed += failed
        run.aborted_clients += len(aborted)
        errors += [f"{job.name}: {a}" for a in aborted]
        if code not in (0, 2) or (job.counted and not ok and not aborted):
            errors.append(f"{job.name}: pgbench exited {code}: {err.strip()[-400:]}")
    run.errors = list(dict.fromkeys(errors))[:6]
    latencies.sort()
    run.p50_ms, run.p95_ms, run.p99_ms = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    run.server_connections_max = max(sampler.totals, default=0)
    run.server_connections_active_median = (statistics.median(sampler.active)
                                            if sampler.active else 0.0)
    if pooler is not None:
        run.pool_server_max = max(sampler.pool_servers, default=0)
        run.pool_clients_waiting_max = max(sampler.waiting, default=0)
    return run


def split_clients(clients: int, groups: list[tuple[str, int]]) -> list[int]:
    """Clients per group in proportion to the groups' weights, at least one each."""
    total = sum(w for _, w in groups)
    return [max(1, round(clients * w / total)) for _, w in groups]


def mix_jobs(sizes: dict[str, int], clients: int, dsn_of, rate: float | None = None,
             close: bool = True) -> list[Job]:
    """One pgbench per login of the mix (scripts the data has rows for), and the close.

    ``dsn_of(login)`` gives the route's DSN for a login. ``rate`` (total, -R) is split
    among the logins like the clients.
    """
    groups = []
    for login, names in LOGINS.items():
        present = [(n, w) for n, w in MIX if n in names and sizes.get(NEEDS[n], 0) > 0]
        if present:
            groups.append((login, present))
    weights = [(login, sum(w for _, w in present)) for login, present in groups]
    split = split_clients(clients, weights)
    total = sum(w for _, w in weights)
    jobs = []
    for (login, present), n, (_, weight) in zip(groups, split, weights, strict=True):
        defines = [f"-Dclients={n}", f"-Dfin={FINANCE_USER}",
                   *(f"-D{k}={v}" for k, v in sizes.items())]
        args = [*(f"-f{SCRIPTS / (name + '.sql')}@{w}" for name, w in present), *defines]
        if rate:
            args += ["-R", f"{rate * weight / total:.3f}"]
        jobs.append(Job(login.removeprefix("bbase_bench_"), dsn_of(login), n, args,
                        [name for name, _ in present]))
    if close:
        defines = [f"-Dfin={FINANCE_USER}", *(f"-D{k}={v}" for k, v in sizes.items())]
        jobs.append(Job("month_close", dsn_of("bbase_bench_finance"), 1,
                        ["-R", "0.5", f"-f{SCRIPTS / 'month_close.sql'}", *defines],
                        ["month_close"], counted=False))
    return jobs


# --- consistency -------------------------------------------------------------------------

def check_consistency(dsn: str) -> list[tuple[str, int, str | None]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT check_name, violations, example"
                            " FROM ses_monitoring.check_consistency()").fetchall()


def work_done(dsn: str, sizes: dict[str, int]) -> dict[str, int]:
    """Counts of what the mix wrote, read before and after (the difference is the step's)."""
    with psycopg.connect(dsn) as conn:
        conn.execute("SET LOCAL ses_common.maintenance = on")
        row = conn.execute("""
            SELECT (SELECT count(*) FROM timesheet_context.daily_attendances AS d
                    WHERE d.period_year = %(y)s AND d.period_month = %(m)s),
                   (SELECT coalesce(sum(d.version), 0) FROM timesheet_context.daily_attendances AS d
                    WHERE d.period_year = %(y)s AND d.period_month = %(m)s),
                   (SELECT count(*) FROM timesheet_context.timesheets AS t
                    WHERE t.period_year = %(py)s AND t.period_month = %(pm)s
                      AND t.status IN ('CLIENT_APPROVED', 'APPROVED', 'CLOSED')),
                   (SELECT count(*) FROM timesheet_context.timesheets AS t
                    WHERE t.period_year = %(py)s AND t.period_month = %(pm)s
                      AND t.status IN ('APPROVED', 'CLOSED')),
                   (SELECT count(*) FROM timesheet_context.timesheets AS t
                    WHERE t.period_year = %(py)s AND t.period_month = %(pm)s
                      AND t.status = 'CLOSED'),
                   (SELECT count(*) FROM billing_context.invoice_payments AS p
                    WHERE p.bank_reference LIKE 'LOAD-%%')""", sizes).fetchone()
    # An insert is version 1 and every change adds one: the sum of versions counts writes.
    keys = ("attendance days", "attendance writes", "customer-approved", "approved",
            "closed", "receipts")
    return dict(zip(keys, row, strict=True))


# --- the whole run -----------------------------------------------------------------------

@contextmanager
def pooler_in_front_of(server_dsn: str) -> Iterator[object]:
    """A PgBouncer of the bench's own (transaction mode, the pooler of the embedded default)
    in front of the server, for the length of the run."""
    try:
        from bbase_workshop.pooler import pooler_for_dsn
    except ImportError:  # a checkout without the pooler: direct runs only
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="bbase-bench-pooler-") as confdir:
        os.chmod(confdir, 0o755)
        pooler = pooler_for_dsn(_with_db(server_dsn, "postgres"), Path(confdir))
        pooler.start()
        try:
            yield pooler
        finally:
            pooler.stop()


def direct_limit(dsn: str) -> tuple[int, int]:
    with psycopg.connect(dsn) as conn:
        max_conn = int(conn.execute("SHOW max_connections").fetchone()[0])
    return max_conn, max_conn - DIRECT_HEADROOM


def run_bench(dsn: str, tpcb_dsn: str, clients: list[int], duration: int,
              baselines: bool = True, rate: float | None = None, progress=print) -> dict:
    """Fixtures, then every step through the pooler (and directly where it fits); the report.

    ``rate``: the offered load of the paced mix (transactions per second over all clients);
    None: half the mix's throughput at the first step; 0: no paced runs.
    """
    paced: float | bool | None = False if rate == 0 else rate
    started_load = os.getloadavg()[:2]
    sizes = install_fixtures(dsn, dt.date.today())
    progress(f"bench load: fixtures {sizes}")
    if sizes["n_sheets"] == 0 or sizes["n_sheets"] * 28 < max(clients):
        raise SystemExit(f"bbase: {sizes['n_sheets']} DRAFT timesheets this month: too few for"
                         f" {max(clients)} clients (28 days each); seed a larger --scale")
    max_conn, limit = direct_limit(dsn)
    runs: list[Run] = []
    work: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bbase-bench-load-") as tmp, \
            pooler_in_front_of(dsn) as pooler:
        os.chmod(tmp, 0o777)
        logdir = Path(tmp)
        dbname = unquote(urlsplit(dsn).path.lstrip("/"))
        tpcb_db = unquote(urlsplit(tpcb_dsn).path.lstrip("/"))
        routes = {"direct": (lambda login: _as_user(dsn, login), tpcb_dsn)}
        if pooler is not None:
            routes = {"pooler": (lambda login: pooler.dsn_for(dbname, login),
                                 pooler.dsn_for(tpcb_db)), **routes}
        for n in clients:
            for route, (mix_dsn, base_dsn) in routes.items():
                fits = route == "pooler" or n + 1 <= limit
                workloads = [("mix", mix_dsn)]
                if route == "pooler" and paced is not False:
                    workloads.append(("mix paced", mix_dsn))
                if baselines:
                    workloads += [("select-only", base_dsn), ("tpcb-like", base_dsn)]
                for workload, target in workloads:
                    run = Run(workload, route, n)
                    if not fits:
                        run.skipped = f"max_connections = {max_conn}"
                        runs.append(run)
                        continue
                    if workload.startswith("mix"):
                        if workload == "mix paced":
                            if paced is None:  # half the capacity of the first step
                                first = find({"runs": [asdict(r) for r in runs]}, "mix",
                                             "pooler", clients[0])
                                paced = max(1.0, round((first or {"tps": 2})["tps"] / 2))
                            run.offered_tps = paced
                        jobs = mix_jobs(sizes, n, target,
                                        rate=run.offered_tps)  # type: ignore[arg-type]
                        before = work_done(dsn, sizes)
                        pgbench(run, jobs, duration, logdir, server_dsn=dsn,
                                pooler=pooler if route == "pooler" else None)
                        after = work_done(dsn, sizes)
                        work.append({"route": route, "workload": workload, "clients": n,
                                     **{k: after[k] - before[k] for k in after}})
                    else:
                        args = ["-S"] if workload == "select-only" else []
                        pgbench(run, [Job(workload, target, n, args, [workload])], duration,
                                logdir, server_dsn=tpcb_dsn,
                                pooler=pooler if route == "pooler" else None)
                    runs.append(run)
                    progress(_line(run))
                    for f in logdir.iterdir():
                        f.unlink()
    violations = check_consistency(dsn)
    return {"date": dt.date.today().isoformat(), "clients": clients, "duration": duration,
            "load_avg_start": [round(x, 2) for x in started_load],
            "load_avg_end": [round(x, 2) for x in os.getloadavg()[:2]],
            "cores": os.cpu_count(), "max_connections": max_conn, "direct_limit": limit,
            "pool_size": getattr(pooler, "pool_size", None), "fixtures": sizes,
            "offered_tps": paced or None,
            "runs": [asdict(r) for r in runs], "work": work,
            "consistency": [{"check": c, "violations": v, "example": e}
                            for c, v, e in violations],
            "consistent": all(v == 0 for _, v, _ in violations)}


def _ms(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:.1f}"


def _line(r: Run) -> str:
    if r.skipped:
        return f"  {r.workload:<11} {r.route:<6} {r.clients:>5} clients: skipped ({r.skipped})"
    pool = "" if r.pool_server_max is None else (
        f", pooler servers {r.pool_server_max} waiting clients {r.pool_clients_waiting_max}")
    errs = f" errors: {r.errors}" if r.errors else ""
    return (f"  {r.workload:<11} {r.route:<6} {r.clients:>5} clients: {r.tps:9.1f} tps, p50 "
            f"{_ms(r.p50_ms)} p95 {_ms(r.p95_ms)} p99 {_ms(r.p99_ms)} ms, failed {r.failed},"
            f" aborted {r.aborted_clients}, server connections {r.server_connections_max}"
            f"{pool}{errs}")


def find(report: dict, workload: str, route: str, clients: int) -> dict | None:
    for r in report["runs"]:
        if (r["workload"], r["route"], r["clients"]) == (workload, route, clients) \
                and not r["skipped"]:
            return r
    return None


def share(report: dict, clients: int) -> float | None:
    mix, sel = (find(report, w, "pooler", clients) for w in ("mix", "select-only"))
    if not mix or not sel or not sel["tps"]:
        return None
    return mix["tps"] / sel["tps"]


def render(report: dict, command: str) -> str:
    top = max(report["clients"])
    lines = [
        HEADING, "", "```sh", command + "   # workshop/bbase_workshop/bench/load.py", "```", "",
        f"Run on {report['date']}, PostgreSQL 15, the embedded local cluster "
        f"(max_connections = {report['max_connections']}: direct runs only up to "
        f"{report['direct_limit']} clients), PgBouncer in transaction mode in front of it "
        f"(pool of {report['pool_size']} server connections per database and login; the mix "
        f"uses one login per role, so up to {4 * (report['pool_size'] or 0)} for the mix), "
        f"{report['cores']} cores shared with other jobs (load average "
        f"{report['load_avg_start'][0]:.1f} / {report['load_avg_start'][1]:.1f} at the start, "
        f"{report['load_avg_end'][0]:.1f} at the end), {report['duration']} s per step. "
        f"Fixtures: {report['fixtures']['n_sheets']:,} DRAFT timesheets this month, "
        f"{report['fixtures']['n_month']:,} of last month to approve or read, "
        f"{report['fixtures']['n_invoices']:,} open receivables, "
        f"{report['fixtures']['n_sales']:,} sales users. The mix and the baselines are "
        "described in the module docstring; latency is pgbench's per transaction "
        "(`-l`, every transaction), connection time excluded.", "",
        "| workload | route | clients | TPS | p50 ms | p95 ms | p99 ms | failed | aborted "
        "clients | server conns (max) | pool servers / waiting clients (max) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["runs"]:
        if r["skipped"]:
            lines.append(f"| {r['workload']} | {r['route']} | {r['clients']:,} | not run: "
                         f"{r['skipped']} | | | | | | | |")
            continue
        pool = ("–" if r["pool_server_max"] is None
                else f"{r['pool_server_max']} / {r['pool_clients_waiting_max']}")
        label = r["workload"] + (f" ({r['offered_tps']:g} TPS offered)" if r["offered_tps"]
                                 else "")
        lines.append(
            f"| {label} | {r['route']} | {r['clients']:,} | {r['tps']:,.0f} | "
            f"{_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | {_ms(r['p99_ms'])} | {r['failed']} | "
            f"{r['aborted_clients']} | {r['server_connections_max']} | {pool} |")
    lines += ["", "Mixed workload TPS as a share of `pgbench -S` through the pooler, same "
              "client count: " + ", ".join(
                  f"{n:,} clients {s:.0%}" if (s := share(report, n)) is not None
                  else f"{n:,} clients –" for n in report["clients"]) + "."]
    mix_top = find(report, "mix", "pooler", top)
    paced_top = find(report, "mix paced", "pooler", top)
    if mix_top:
        s = share(report, top)
        lines += ["", f"At {top:,} clients, saturated (each client starts its next transaction "
                  f"as soon as one ends): {mix_top['tps']:,.0f} TPS, "
                  f"{mix_top['failed'] + mix_top['aborted_clients']} errors, p95 "
                  f"{_ms(mix_top['p95_ms'])} ms: with no pause between transactions the "
                  "latency is the clients' queue in the pooler (clients ÷ throughput). The mix "
                  + (f"runs at {s:.0%} of `pgbench -S` (target ≥ {TARGET_SHARE:.0%}: "
                     f"{'met' if s >= TARGET_SHARE else 'not met'})." if s is not None
                     else "share was not measured (no baselines).")]
    if paced_top:
        errors = paced_top["failed"] + paced_top["aborted_clients"]
        verdict = "met" if errors == 0 and paced_top["p95_ms"] < TARGET_P95_MS else "not met"
        every = top / paced_top["offered_tps"]
        lines += ["", f"At {top:,} clients paced ({paced_top['offered_tps']:g} TPS offered, "
                  f"half the throughput of the first step: each of the {top:,} users starts a "
                  f"transaction every {every:,.1f} s on average, Poisson arrivals; latency counted "
                  f"from the scheduled start, so waiting in the pooler counts): {errors} errors, "
                  f"p50 {_ms(paced_top['p50_ms'])} ms, p95 {_ms(paced_top['p95_ms'])} ms, p99 "
                  f"{_ms(paced_top['p99_ms'])} ms (target 0 errors and p95 < "
                  f"{TARGET_P95_MS:.0f} ms: {verdict}).",
                  "", f"p95 per script, paced at {top:,} clients (ms): " + ", ".join(
                      f"{k} {_ms(v)}" for k, v in paced_top["per_script_p95_ms"].items()) + "."]
    if report["work"]:
        lines += ["", "What the mix wrote per step (pooler route): " + "; ".join(
            f"{w['clients']:,} clients: {w['attendance writes']:,} attendance writes "
            f"({w['attendance days']:,} new days), {w['customer-approved']} customer and "
            f"{w['approved']} internal approvals, {w['closed']} closed by the background "
            f"close, {w['receipts']:,} receipts" for w in report["work"]
            if w["route"] == "pooler" and w["workload"] == "mix") + "."]
    checks = ", ".join(f"{c['check']} {c['violations']}" for c in report["consistency"])
    lines += ["", f"Consistency at the end (`ses_monitoring.check_consistency()`): {checks} "
              f"violations: {'consistent' if report['consistent'] else 'INCONSISTENT'}.", ""]
    return "\n".join(lines)


def parse_clients(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"bbase: invalid --clients: {text!r} (comma-separated counts, e.g. "
                         "10,100,500,1000)") from None
    if not values or any(v < 1 or v > 1900 for v in values):
        raise SystemExit(f"bbase: invalid --clients: {text!r} (each 1 to 1900: the pooler "
                         "takes 2,000 clients)")
    return values


def cmd_bench(args: argparse.Namespace) -> int:
    clients = parse_clients(args.clients)
    if not 1 <= args.duration <= 3600:
        raise SystemExit(f"bbase: invalid --duration: {args.duration} (1 to 3600 seconds)")
    if not shutil.which("pgbench") and not Path(PGBENCH).exists():
        raise SystemExit("bbase: pgbench not found (Debian package postgresql-client-15)")
    base = workshop_dsn()
    dsn = create_database(base, args.database)
    applied, _ = mig.migrate(dsn)
    if applied:
        print(f"bench load: migrated {args.database} ({len(applied)} migrations)")
    if args.reseed or not has_ses_data(dsn):
        print(f"bench load: seeding {args.database} at scale {args.scale}", flush=True)
        seed(dsn, args.scale)
    tpcb_dsn = create_database(base, TPCB_DB)
    if not args.no_baselines:
        prepare_tpcb(tpcb_dsn, args.tpcb_scale)
    if args.rate is not None and args.rate < 0:
        raise SystemExit(f"bbase: invalid --rate: {args.rate} (transactions per second; 0: no"
                         " paced runs)")
    report = run_bench(dsn, tpcb_dsn, clients, args.duration, baselines=not args.no_baselines,
                       rate=args.rate)
    command = (f".venv/bin/bbase bench load --scale {args.scale:g} --clients {args.clients} "
               f"--duration {args.duration}" + (" --write-docs" if args.write_docs else ""))
    section = render(report, command)
    print(section)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    if args.write_docs:
        write_section(section)
        print("wrote the SES mixed load section of docs/benchmarks.md")
    if not report["consistent"]:
        print("bench load: the data is INCONSISTENT after the run (see above)", file=sys.stderr)
        return 1
    return 0
