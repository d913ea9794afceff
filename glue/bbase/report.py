"""The HTML review report of pending diffs (jinja2, ``glue/templates/review.html.j2``).

Reviewers see each pending diff with the current record and the proposed one
side by side; the fields that change are highlighted. The records come from
``zengin.export_diff``; this module only lays them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import psycopg

TEMPLATES = Path(__file__).resolve().parent / "templates"
BANK_FIELDS = (("bankName", "名称"), ("bankKana", "カナ"), ("bankHira", "ひらがな"),
               ("bankRoma", "ローマ字"))
BRANCH_FIELDS = (("branchName", "名称"), ("branchKana", "カナ"), ("branchHira", "ひらがな"),
                 ("branchRoma", "ローマ字"))
KIND_LABELS = {"addition": "追加 addition", "update": "変更 update", "deletion": "削除 deletion"}


@dataclass
class FieldRow:
    label: str
    old: str | None
    new: str | None
    changed: bool


@dataclass
class RecordView:
    kind: str
    target: str
    code: str
    context: str
    fields: list[FieldRow] = field(default_factory=list)


@dataclass
class DiffView:
    id: str
    diff_type: str
    timestamp: str
    created_by: str
    summary: dict[str, Any] | None
    records: list[RecordView]


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
        rows.append(FieldRow(label, o, n, changed))
    return RecordView(kind, "branch" if is_branch else "bank", code, context, rows)


def diff_view(record: dict[str, Any]) -> DiffView:
    if record.get("diffType") == "bulk_update":
        records = [_record(i.get("diffType", "?"), i.get("target"), i.get("zenginData"),
                           i.get("currentData"), i.get("changes"))
                   for i in record.get("items", [])]
    else:
        records = [_record(record.get("diffType", "?"), record.get("target"),
                           record.get("zenginData"), record.get("currentData"),
                           record.get("changes"))]
    return DiffView(record["id"], record.get("diffType", "?"),
                    record.get("timestamp", ""), record.get("createdBy", ""),
                    record.get("dataSummary"), records)


def render(records: list[dict[str, Any]], title: str, subtitle: str = "") -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True)
    diffs = [diff_view(r) for r in records]
    kinds = Counter(rec.kind for d in diffs for rec in d.records)
    return env.get_template("review.html.j2").render(
        title=title, subtitle=subtitle, diffs=diffs, kinds=kinds, labels=KIND_LABELS,
        total_records=sum(kinds.values()),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def pending_records(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return [r[0] for r in conn.execute(
        "SELECT zengin.export_diff(id) FROM zengin.diffs WHERE status = 'pending' "
        "ORDER BY timestamp, id")]


def write_review_report(conn: psycopg.Connection, path: Path, title: str,
                        subtitle: str = "") -> int:
    """Render the pending diffs to ``path``; returns how many diffs it shows."""
    records = pending_records(conn)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(records, title, subtitle), encoding="utf-8")
    return len(records)
