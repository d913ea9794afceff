"""Scores per area, the equivalent-mutant list, and the block written into docs/testing.md."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runner imports psycopg: not at `bbase --help` time
    from bbase_workshop.mutate.runner import Outcome

#: The areas issue 13 scores: Zengin core, sync, the SES machinery, the SES
#: workflows and SES security, and the project's own bbase schema.
AREAS = ("zengin", "sync", "ses-machinery", "ses-workflows", "ses-security", "foundation")
#: The block of docs/testing.md that ``--write-docs`` replaces.
BEGIN, END = "<!-- mutate:begin -->", "<!-- mutate:end -->"
EQUIVALENT_FILE = Path(__file__).with_name("equivalent.txt")

#: SES security outside sql/policies/: who the acting user is and what they
#: manage, the grants, and personal-data encryption (keys, ciphers, blind indexes).
_SECURITY = re.compile(r"act_as|current_user_id|managed_project_ids|placed_engineer_ids"
                       r"|context_grants|crypt|personal_data|session_key|key_version"
                       r"|blind_index|data_class|class_password")


def area_of(relpath: str) -> str:
    """The area a mutant scores in (docs/testing.md, "Areas and the score"):

    * zengin (``sql/*/zengin``, CHECKs of ``zengin.*``), sync (``zengin_sync``),
      foundation (``bbase``);
    * ses-security: every row-level security policy (``sql/policies/``), the
      grants (``grant:`` mutants, ``apply_context_grants``), the acting user
      (``current_user_id``, ``act_as``, ``managed_project_ids``, ...) and
      personal-data encryption (``encrypt_personal_data``, ``decrypt_*``, keys,
      blind indexes, the ``check_personal_data`` triggers);
    * ses-machinery: the rest of ``ses_common`` (common triggers, partitions,
      archive, references, events, calendar), ``ses_monitoring``, ``ses_archive``;
    * ses-workflows: the ``*_context`` functions and triggers (matching,
      contracts, timesheets, close, payments, events) and their tables' CHECKs.
    """
    if relpath.startswith("grant:"):
        return "ses-security"
    if relpath.startswith("check:"):
        schema, _, rest = relpath.removeprefix("check:").partition(".")
        schema, name = schema.strip('"'), rest.partition(":")[0]
    elif relpath.startswith("sql/"):
        parts = relpath.split("/")
        if parts[1] == "policies":
            return "ses-security"
        schema = Path(parts[2]).stem if parts[1] == "schemas" else parts[2]
        name = Path(relpath).stem
    else:
        return "other"
    if schema == "zengin":
        return "zengin"
    if schema == "zengin_sync":
        return "sync"
    if schema == "bbase":
        return "foundation"
    if _SECURITY.search(name) or name == "table_grants":
        return "ses-security"
    if schema.endswith("_context"):
        return "ses-workflows"
    return "ses-machinery"


def load_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Mutant id -> why it is equivalent (``<id>  # why`` per line)."""
    out: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                mid, _, why = line.partition("#")
                out[mid.strip()] = why.strip()
    return out


def wilson(killed: int, live: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % for z = 1.96) of a proportion ``killed / live``:
    where the score of the whole population lies, given a random sample of it."""
    if live == 0:
        return 0.0, 1.0
    p = killed / live
    centre = (p + z * z / (2 * live)) / (1 + z * z / live)
    half = z * math.sqrt(p * (1 - p) / live + z * z / (4 * live * live)) / (1 + z * z / live)
    return max(0.0, centre - half), min(1.0, centre + half)


def score_table(results: list[tuple[str, str]], population: dict[str, int] | None = None) -> str:
    """A Markdown table from (area, status) pairs: per area the population (every
    mutant of the area), how many were sampled, the counts, the score (killed +
    timeout over killed + timeout + survived; equivalent, stillborn, untested and
    errors left out) and its 95 % Wilson interval for the whole population."""
    population = population or {}
    rows = ["| area | population | sampled | killed | timeout | survived | equivalent | "
            "stillborn | no tests / error | score | 95 % interval |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for area in AREAS:
        c = Counter(status for a, status in results if a == area)
        if not c:
            continue
        killed = c["killed"] + c["timeout"]
        live = killed + c["survived"]
        score = f"{100 * killed / live:.0f} %" if live else "-"
        low, high = wilson(killed, live)
        interval = f"{100 * low:.0f}–{100 * high:.0f} %" if live else "-"
        rows.append(f"| {area} | {population.get(area, '?')} | {sum(c.values())} | "
                    f"{c['killed']} | {c['timeout']} | {c['survived']} | {c['equivalent']} | "
                    f"{c['stillborn']} | {c['no-tests'] + c['error']} | {score} | {interval} |")
    return "\n".join(rows)


def read_results(paths: list[str]) -> tuple[dict[str, dict], dict[str, int]]:
    """The mutants of ``--results`` files (the last line of a mutant wins: a rerun
    replaces the earlier outcome) and the population of the last run that named one."""
    mutants: dict[str, dict] = {}
    population: dict[str, int] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if "id" in record:
                mutants[record["id"]] = record
            elif "population" in record:
                population = record["population"]
    return mutants, population


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
