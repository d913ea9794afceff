"""The monthly cycles of the generated window, run through the workflow functions.

Every statement is in ``cycles.sql``; this module only decides who runs which
statement in which order. A statement named ``<actor>: …`` runs after
``SET LOCAL ROLE <the actor's role>`` and ``ses_common.act_as(<user>)``, so
row-level security and the role's grants apply as they would to that user
(the statements also name the acting user where a role sees more than its own
work, e.g. a project manager who also sells other projects). ``plan: …``
statements run as the seed's superuser: they read the plan tables or list the
actors. The event consumers run as ``bbase_operator`` (the role the scheduler
uses), the maintenance step (overdue invoices) as finance.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

FILE = "cycles.sql"

#: The role that does each actor's job.
ROLES = {
    "project manager": "ses_project_manager_role",
    "engineer": "ses_engineer_role",
    "customer": "ses_customer_role",
    "finance": "ses_finance_role",
    "admin": "ses_admin_role",
    "operator": "bbase_operator",
}
#: The users finance and admin act as (they see every row; the id is recorded).
FINANCE_USER = uuid.UUID(bytes=bytes.fromhex("f1a0" * 8))
ADMIN_USER = uuid.UUID(bytes=bytes.fromhex("ad01" * 8))


def _months(first: date, today: date) -> list[tuple[int, int]]:
    """(year, month) from ``first`` to the month before ``today``'s."""
    out: list[tuple[int, int]] = []
    y, m = first.year, first.month
    while (y, m) < (today.year, today.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class Cycles:
    """Runs the statements of cycles.sql in the seed's transaction, as their actors."""

    def __init__(self, conn: psycopg.Connection, params: dict[str, Any],
                 say: Callable[[str], object]) -> None:
        from bbase_workshop.seed import _query

        self.conn = conn
        self.params = params
        self.say = say
        self.counts: Counter[str] = Counter()
        #: seconds spent per statement, for the progress line of a slow seed
        self.seconds: Counter[str] = Counter()
        #: the role set and the user acted as (None: the seed's own login)
        self._as: tuple[str | None, uuid.UUID | None] = (None, None)
        self._query = lambda name: _query(FILE, name)

    def _become(self, role: str | None, user: uuid.UUID | None) -> None:
        """Switch role and acting user, skipping what is already in place."""
        current_role, current_user = self._as
        if role != current_role:
            self.conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role))
                              if role else sql.SQL("RESET ROLE"))
        if role not in (None, ROLES["operator"]) and (role, user) != (current_role, current_user):
            self.conn.execute("SELECT ses_common.act_as(%s)", (user,))
        self._as = (role, user)

    def plan(self, name: str, **params: Any) -> list[tuple]:
        self._become(None, None)
        return [tuple(r) for r in self.conn.execute(self._query(name), params).fetchall()]

    def act(self, name: str, user: uuid.UUID | None, **params: Any) -> list[tuple]:
        """Run statement ``name`` as its actor (the text before the colon) acting as ``user``."""
        self._become(ROLES[name.split(":", 1)[0]], user)
        started = time.monotonic()
        cur = self.conn.execute(self._query(name), {**self.params, **params})
        self.seconds[name] += time.monotonic() - started
        rows = [tuple(r) for r in cur.fetchall()] if cur.description else []
        if rows and len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], int):
            self.counts[name] += rows[0][0]
        elif cur.rowcount > 0 and not cur.description:
            self.counts[name] += cur.rowcount
        return rows

    def consume_events(self) -> int:
        """Run every active consumer until nothing is due; returns the events handled."""
        consumers = [c for (c,) in self.plan("plan: event consumers")]
        handled = 0
        for consumer in consumers:
            while True:
                claimed, done, _retrying, dead = self.act(
                    "operator: run an event consumer", None, consumer=consumer)[0]
                handled += done
                self.counts[f"events handled by {consumer}"] += done
                self.counts[f"events dead for {consumer}"] += dead
                if claimed == 0:
                    break
        return handled

    def run(self) -> Counter[str]:
        today = self.conn.execute("SELECT current_date").fetchone()[0]
        cycle_start = self.conn.execute("SELECT cycle_start FROM seed_const").fetchone()[0]
        managers = [pm for (pm,) in self.plan("plan: project managers")]
        matches = {pm: rest for pm, *rest in self.plan("plan: matches per project manager")}

        for pm in managers:
            self.act("project manager: order won projects", pm)
            self.act("project manager: score the open matching requests", pm)
            if pm in matches:
                requests, engineers, prices, results = matches[pm]
                picks = dict(requests=requests, engineers=engineers, prices=prices,
                             results=results)
                self.act("project manager: accept the engineers found", pm, **picks)
                self.act("project manager: record the matching results", pm, **picks)
                self.act("project manager: complete the matching requests", pm, **picks)
            self.act("project manager: sign the contracts for our side", pm)
            self.act("project manager: record the counterparties' signatures", pm)
        self.say(f"  cycles: {len(managers)} project managers scored "
                 f"{self.counts['project manager: score the open matching requests']:,} "
                 "candidates and signed "
                 f"{self.counts['project manager: sign the contracts for our side']:,} contracts")

        closed = _months(cycle_start, today)
        for y, m in closed:
            self.month(y, m, last_month=(y, m) == closed[-1])
        self.enter_days(today.year, today.month)

        for name in ("finance: record the receipts", "finance: pay the partners",
                     "finance: mark the late invoices overdue"):
            self.act(name, FINANCE_USER)
        for pm in managers:
            self.act("project manager: apply price amendments from next month", pm)
            self.act("project manager: put the approved amendments in force", pm)
            self.act("project manager: complete the ended contracts", pm)
        self.consume_events()
        self._become(None, None)
        self.say(f"  cycles: {self.counts['finance: record the receipts']:,} receipts, "
                 f"{self.counts['finance: pay the partners']:,} partner payments, "
                 f"{self.counts['finance: mark the late invoices overdue']:,} invoices overdue; "
                 f"{self.counts['events handled by notifications']:,} events notified, "
                 f"{self.counts['events handled by reports']:,} reported")
        slowest = ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.most_common(4))
        self.say(f"  cycles: slowest steps: {slowest}")
        return self.counts

    def enter_days(self, y: int, m: int, submit: bool = False) -> None:
        """Each engineer enters the month's days (and submits it, when the month is over)."""
        engineers = [e for (e,) in self.plan("plan: engineers with a draft of the month", y=y, m=m)]
        for e in engineers:
            self.act("engineer: enter the days of the month", e, y=y, m=m)
            if submit:
                self.act("engineer: submit the month", e, y=y, m=m)

    def month(self, y: int, m: int, last_month: bool) -> None:
        """One closed month, from the first day entered to the close and its events."""
        p = dict(y=y, m=m, last_month=last_month)
        self.enter_days(y, m, submit=True)
        customers = [c for (c,) in self.plan(
            "plan: customers with submitted timesheets of the month", **p)]
        for c in customers:
            self.act("customer: reject a few timesheets", c, **p)
        for e, in self.plan("plan: engineers with a rejected draft of the month", **p):
            self.act("engineer: correct the first working day", e, **p)
            self.act("engineer: submit the month", e, **p)
        for c in customers:
            self.act("customer: approve the submitted timesheets", c, **p)
        for pm, in self.plan("plan: project managers with timesheets to approve", **p):
            self.act("project manager: acknowledge the alerts", pm, **p)
            self.act("project manager: approve the timesheets", pm, **p)
        closed = self.act("finance: close the month", FINANCE_USER, **p)[0][0]
        self.act("admin: record adjustments of closed timesheets", ADMIN_USER, **p)
        events = self.consume_events()
        self.say(f"  cycle {y}-{m:02d}: {closed['timesheetsClosed']} timesheets closed, "
                 f"{closed['receivablesIssued']} invoices issued, "
                 f"{closed['payablesRecorded']} payables recorded; {events} events handled")
