"""The HTML review report of the diffs in one status (jinja2, ``templates/review.html.j2``).

Reviewers see each diff with the current record and the proposed one side by
side, the characters that change inside a field highlighted, a flag where a
code is reused for something unrelated, and the psql lines that approve or
reject it. The rows and every rule (which diffs, their real status, the
code-reuse flag) come from ``zengin.review_items``; this module only lays
them out. ``bbase zengin report`` and ``bbase demo`` both write it through
:func:`write_review_report`.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

TEMPLATES = Path(__file__).resolve().parent / "templates"
BANK_FIELDS = (("bankName", "名称"), ("bankKana", "カナ"), ("bankHira", "ひらがな"),
               ("bankRoma", "ローマ字"))
BRANCH_FIELDS = (("branchName", "名称"), ("branchKana", "カナ"), ("branchHira", "ひらがな"),
                 ("branchRoma", "ローマ字"))
#: Below this share of matching characters (difflib ratio) a change is marked whole.
UNRELATED_RATIO = 1 / 3
KINDS = ("addition", "update", "deletion")
KIND_LABELS = {"addition": "追加 addition", "update": "変更 update", "deletion": "削除 deletion"}


@dataclass
class Segment:
    """A run of characters of a field value; ``changed`` when the other side lacks it."""

    text: str
    changed: bool


def char_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Split ``old`` and ``new`` into runs that both share and runs only one has
    (character-level, so 市ケ谷 → 市ヶ谷 marks just ケ and ヶ). When less than a
    third of the characters match, both values are marked whole: a few letters
    in common between unrelated names are noise, not a change to point at."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < UNRELATED_RATIO:
        return ([Segment(old, True)] if old else []), ([Segment(new, True)] if new else [])
    old_parts: list[Segment] = []
    new_parts: list[Segment] = []
    for op, o1, o2, n1, n2 in matcher.get_opcodes():
        same = op == "equal"
        if o2 > o1:
            old_parts.append(Segment(old[o1:o2], not same))
        if n2 > n1:
            new_parts.append(Segment(new[n1:n2], not same))
    return old_parts, new_parts


@dataclass
class FieldRow:
    label: str
    old: str | None
    new: str | None
    changed: bool
    old_parts: list[Segment] = field(default_factory=list)
    new_parts: list[Segment] = field(default_factory=list)


@dataclass
class RecordView:
    kind: str
    target: str
    code: str
    context: str
    fields: list[FieldRow] = field(default_factory=list)
    bank_code: str = ""
    reuse_note: str | None = None


@dataclass(frozen=True)
class Impact:
    """A row of ``zengin.diff_impact``: checked is False when SES billing is not
    installed in this database (the counts are then None, not 0)."""

    checked: bool
    accounts_invalidated: int | None
    unpaid_payables: Decimal | None
    accounts_renamed: int | None


@dataclass
class DiffView:
    id: str
    diff_type: str
    timestamp: str
    created_by: str
    summary: dict[str, Any] | None
    records: list[RecordView]
    status: str = "pending"
    decided_by: str | None = None
    reject_reason: str | None = None
    banks: dict[str, str] = field(default_factory=dict)
    #: ``zengin.diff_impact``: what executing the diff does to SES payee accounts;
    #: None when not asked (a report of exported records).
    impact: Impact | None = None

    @property
    def kinds(self) -> Counter[str]:
        return Counter(r.kind for r in self.records)

    @property
    def reused(self) -> int:
        return sum(1 for r in self.records if r.reuse_note)


def _record(kind: str, target: str | None, new: dict[str, Any] | None,
            old: dict[str, Any] | None, changes: dict[str, Any] | None) -> RecordView:
    new, old = new or {}, old or {}
    data = {**old, **new}
    is_branch = (target == "branch") or bool(data.get("branchCode"))
    code = data.get("bankCode", "????") + (f"-{data['branchCode']}" if is_branch else "")
    context = data.get("bankName", "") if is_branch else ""
    rows = []
    for key, label in (BRANCH_FIELDS if is_branch else BANK_FIELDS):
        o = old.get(key) if kind != "addition" else None
        n = new.get(key) if kind != "deletion" else None
        # Only an update marks fields: an addition or deletion changes them all
        # (the whole row is coloured instead).
        changed = kind == "update" and ((key in changes) if changes else o != n)
        if o is None and n is None:
            continue
        row = FieldRow(label, o, n, changed)
        if changed:
            # A value that appears or disappears is marked whole.
            row.old_parts, row.new_parts = char_diff(o or "", n or "")
        rows.append(row)
    return RecordView(kind, "branch" if is_branch else "bank", code, context, rows,
                      bank_code=data.get("bankCode", ""))


def diff_view(record: dict[str, Any]) -> DiffView:
    """A diff as ``zengin.export_diff`` returns it (the DynamoDB record layout)."""
    if record.get("diffType") == "bulk_update":
        records = [_record(i.get("diffType", "?"), i.get("target"), i.get("zenginData"),
                           i.get("currentData"), i.get("changes"))
                   for i in record.get("items", [])]
    else:
        records = [_record(record.get("diffType", "?"), record.get("target"),
                           record.get("zenginData"), record.get("currentData"),
                           record.get("changes"))]
    banks: dict[str, str] = {}
    for r in records:
        banks.setdefault(r.bank_code, r.context)
    return DiffView(record["id"], record.get("diffType", "?"),
                    record.get("timestamp", ""), record.get("createdBy", ""),
                    record.get("dataSummary"), records,
                    status=record.get("status", "pending"),
                    decided_by=record.get("approvedBy") or record.get("rejectedBy"),
                    reject_reason=record.get("rejectReason"), banks=banks)


def review_views(rows: list[tuple]) -> list[DiffView]:
    """Group the rows of ``zengin.review_items`` (in its column order) into diffs."""
    diffs: dict[str, DiffView] = {}
    for (diff_id, status, diff_type, created_at, created_by, decided_by, reject_reason,
         _item_no, item_type, target, bank_code, _branch_code, bank_name, current, zengin,
         changes, _reused, reuse_note) in rows:
        d = diffs.get(diff_id)
        if d is None:
            stamp = created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if created_at else ""
            d = diffs[diff_id] = DiffView(diff_id, diff_type, stamp, created_by, None, [],
                                          status, decided_by, reject_reason)
        record = _record(item_type, target, zengin, current, changes)
        record.bank_code, record.reuse_note = bank_code, reuse_note
        if target == "branch":
            record.context = bank_name or record.context
        d.records.append(record)
        d.banks.setdefault(bank_code, bank_name or "")
    return list(diffs.values())


def render_views(diffs: list[DiffView], title: str, subtitle: str = "",
                 status: str = "pending", bank: str | None = None) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True)
    kinds: Counter[str] = Counter()
    banks: dict[str, str] = {}
    for d in diffs:
        kinds.update(d.kinds)
        for code, name in d.banks.items():
            banks.setdefault(code, name)
    return env.get_template("review.html.j2").render(
        title=title, subtitle=subtitle, diffs=diffs, kinds=kinds, labels=KIND_LABELS,
        kind_order=KINDS, status=status, bank=bank, banks=sorted(banks.items()),
        total_records=sum(kinds.values()), reused=sum(d.reused for d in diffs),
        invalidated=sum((d.impact.accounts_invalidated or 0) for d in diffs if d.impact),
        unpaid=sum((d.impact.unpaid_payables or 0) for d in diffs if d.impact),
        impact_known=any(d.impact and d.impact.checked for d in diffs),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def render(records: list[dict[str, Any]], title: str, subtitle: str = "") -> str:
    """The report of diffs given as ``zengin.export_diff`` records."""
    return render_views([diff_view(r) for r in records], title, subtitle)


def review_rows(conn: psycopg.Connection, status: str = "pending",
                bank: str | None = None) -> list[tuple]:
    return conn.execute("SELECT * FROM zengin.review_items(%s, %s)", (status, bank)).fetchall()


def add_impacts(conn: psycopg.Connection, diffs: list[DiffView]) -> None:
    """Ask ``zengin.diff_impact`` about each diff (where the function is installed)."""
    if conn.execute("SELECT to_regprocedure('zengin.diff_impact(text)')").fetchone()[0] is None:
        return
    for d in diffs:
        d.impact = Impact(*conn.execute("SELECT * FROM zengin.diff_impact(%s)",
                                        (d.id,)).fetchone())


def write_review_report(conn: psycopg.Connection, path: Path, title: str, subtitle: str = "",
                        status: str = "pending", bank: str | None = None) -> int:
    """Render the diffs in ``status`` (of bank ``bank``) to ``path``, each with its impact
    on payee accounts; returns how many diffs it shows."""
    diffs = review_views(review_rows(conn, status, bank))
    add_impacts(conn, diffs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_views(diffs, title, subtitle, status, bank), encoding="utf-8")
    return len(diffs)
