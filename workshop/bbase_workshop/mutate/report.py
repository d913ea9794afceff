"""Scores per area, the equivalent-mutant list, and the block written into docs/testing.md."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runner imports psycopg: not at `bbase --help` time
    from bbase_workshop.mutate.runner import Outcome

AREAS = ("zengin", "sync", "ses", "foundation")
#: The block of docs/testing.md that ``--write-docs`` replaces.
BEGIN, END = "<!-- mutate:begin -->", "<!-- mutate:end -->"
EQUIVALENT_FILE = Path(__file__).with_name("equivalent.txt")


def area_of(relpath: str) -> str:
    """zengin (sql/*/zengin), sync (zengin_sync), ses (ses_* and *_context), foundation (bbase)."""
    if relpath.startswith("check:"):
        schema = relpath.removeprefix("check:").split(".")[0].strip('"')
    elif relpath.startswith("sql/"):
        parts = relpath.split("/")
        schema = Path(parts[2]).stem if parts[1] == "schemas" else parts[2]
    else:
        return "other"
    if schema == "zengin":
        return "zengin"
    if schema == "zengin_sync":
        return "sync"
    if schema == "bbase":
        return "foundation"
    return "ses"


def load_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Mutant id -> why it is equivalent (``<id>  # why`` per line)."""
    out: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                mid, _, why = line.partition("#")
                out[mid.strip()] = why.strip()
    return out


def score_table(outcomes: list[Outcome]) -> str:
    """A Markdown table: per area the counts and the score (killed + timeout over
    killed + timeout + survived; equivalent, stillborn, untested and errors left out)."""
    rows = ["| area | mutants | killed | timeout | survived | equivalent | stillborn | "
            "no tests / error | score |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for area in AREAS:
        c = Counter(o.status for o in outcomes if area_of(o.mutant.relpath) == area)
        if not c:
            continue
        live = c["killed"] + c["timeout"] + c["survived"]
        score = f"{100 * (c['killed'] + c['timeout']) / live:.0f} %" if live else "-"
        rows.append(f"| {area} | {sum(c.values())} | {c['killed']} | {c['timeout']} | "
                    f"{c['survived']} | {c['equivalent']} | {c['stillborn']} | "
                    f"{c['no-tests'] + c['error']} | {score} |")
    return "\n".join(rows)


def survivors(outcomes: list[Outcome]) -> list[str]:
    return [o.mutant.describe() for o in outcomes if o.status == "survived"]


def write_docs(doc: Path, table: str, command: str, when: str, per_mutant: str) -> None:
    """Replace the marked block of ``doc`` with the latest score table."""
    text = doc.read_text(encoding="utf-8")
    block = (f"{BEGIN}\nLatest run ({when}): `{command}`; {per_mutant}.\n\n{table}\n{END}")
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text,
                      flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")
