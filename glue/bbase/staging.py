"""Stage a Zengin source-data folder into ``zengin.snapshot_*`` with COPY.

The folder is the zengin-code format: ``banks.json`` (``{code: {code, name,
kana, hira, roma}}``) and ``branches/<bank_code>.json`` (same shape per
branch). The snapshot is defined by ``banks.json``: a branch file whose bank is
not in it is not part of the snapshot; such files are counted and reported,
not loaded. No validation happens here: the data is staged as found and
checked when a diff is applied to the master.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bbase.errors import BbaseError

_FIELDS = ("name", "kana", "hira", "roma")


@dataclass
class SourceData:
    path: Path
    version: str | None
    banks: list[tuple[str, ...]] = field(default_factory=list)
    branches: list[tuple[str, ...]] = field(default_factory=list)
    orphan_bank_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StageResult:
    snapshot_id: int
    banks: int
    branches: int
    orphan_bank_codes: list[str]


def _value(record: dict, key: str) -> str | None:
    value = record.get(key)
    return None if value is None else str(value)


def read_source(path: Path) -> SourceData:
    """Read banks.json and the branch files of the banks it lists."""
    path = Path(path)
    banks_file = path / "banks.json"
    if not banks_file.is_file():
        raise BbaseError(f"{path} is not a Zengin source-data folder (no banks.json)")
    version_file = path / "updated_at"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else None
    banks = json.loads(banks_file.read_text(encoding="utf-8"))
    data = SourceData(path=path, version=version or None)
    for code in sorted(banks):
        record = banks[code]
        data.banks.append((code, *(_value(record, k) for k in _FIELDS)))
    branch_dir = path / "branches"
    if branch_dir.is_dir():
        for file in sorted(branch_dir.glob("*.json")):
            bank_code = file.stem
            if bank_code not in banks:
                data.orphan_bank_codes.append(bank_code)
                continue
            branches = json.loads(file.read_text(encoding="utf-8"))
            for code in sorted(branches):
                record = branches[code]
                data.branches.append((bank_code, code, *(_value(record, k) for k in _FIELDS)))
    return data


def _rows(snapshot_id: int, rows: list[tuple[str, ...]]) -> Iterator[tuple]:
    for row in rows:
        yield (snapshot_id, *row)


def stage(conn: psycopg.Connection, data: SourceData, source: str | None = None,
          version: str | None = None) -> StageResult:
    """Insert the snapshot header and COPY its banks and branches; one transaction."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "INSERT INTO zengin.snapshots (source, source_version, bank_count, branch_count,"
            " orphan_branch_files, orphan_bank_codes) VALUES (%s, %s, %s, %s, %s, %s)"
            " RETURNING id",
            (source or str(data.path), version or data.version, len(data.banks),
             len(data.branches), len(data.orphan_bank_codes), data.orphan_bank_codes),
        )
        snapshot_id = int(cur.fetchone()[0])
        with cur.copy("COPY zengin.snapshot_banks (snapshot_id, bank_code, name, kana, hira, roma)"
                      " FROM STDIN") as copy:
            for row in _rows(snapshot_id, data.banks):
                copy.write_row(row)
        with cur.copy("COPY zengin.snapshot_branches (snapshot_id, bank_code, branch_code,"
                      " name, kana, hira, roma) FROM STDIN") as copy:
            for row in _rows(snapshot_id, data.branches):
                copy.write_row(row)
    return StageResult(snapshot_id, len(data.banks), len(data.branches),
                       list(data.orphan_bank_codes))


def stage_path(conn: psycopg.Connection, path: Path, version: str | None = None) -> StageResult:
    """Read a source-data folder and stage it."""
    return stage(conn, read_source(Path(path)), version=version)
