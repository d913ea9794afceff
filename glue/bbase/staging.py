"""Stage a Zengin source-data folder into ``zengin.snapshot_*`` with COPY.

The folder is the zengin-code format: ``banks.json`` (``{code: {code, name,
kana, hira, roma}}``) and ``branches/<bank_code>.json`` (same shape per
branch). The snapshot is defined by ``banks.json``: a branch file whose bank is
not in it is not part of the snapshot; such files are counted and reported,
not loaded.

Nothing is staged unless the whole folder is sound, and every problem is
reported, one line each (file, key, field, value; :class:`SourceProblem`):

* here, what only the glue can see: files that are missing, unreadable (a
  symlink loop, not a regular file, too large), empty, not UTF-8, not JSON,
  JSON of the wrong shape (a record that is not an object, a field that is not
  a string), duplicate keys, a record whose ``code`` is not its key, a NUL
  character (PostgreSQL text cannot hold one), and a folder that would read as
  a mass deletion (no banks, no ``branches/`` folder, a bank without branches);
* in SQL, the content rules of the master itself (codes, blank names, Zengin
  kana, the length limit): ``zengin.find_source_problems`` runs them over the
  whole folder in the staging transaction, before anything is inserted.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from bbase.errors import BbaseError

_FIELDS = ("name", "kana", "hira", "roma")
#: A file larger than this is refused unread (the largest real file is ~210 KB).
MAX_FILE_BYTES = 16 * 1024 * 1024
#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS_SHOWN = 100
#: JSON nesting deeper than this is refused (a record is two levels deep).
_MAX_DEPTH = 32
#: What :meth:`_Reader.read_json` returns for a file it could not read (problem noted).
UNREADABLE = object()


@dataclass(frozen=True)
class SourceProblem:
    """One problem of a source folder: where it is and what is wrong (value shown safely)."""

    file: str
    message: str
    key: str | None = None
    field: str | None = None

    def line(self) -> str:
        where = [self.file]
        if self.key is not None:
            where.append(f"key {_show(self.key, 20)}")
        if self.field is not None:
            where.append(self.field)
        return ": ".join(where) + ": " + self.message


class SourceDataError(BbaseError):
    """The folder cannot be staged; ``problems`` lists every reason found."""

    exit_code = 2

    def __init__(self, path: Path, problems: list[SourceProblem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{_path_text(path)}: {len(problems)} problem(s), nothing staged; "
                         f"first: {problems[0].line()}")

    def lines(self, limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
        """One line per problem (at most ``limit``), then the count of the rest."""
        shown = [p.line() for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(f"… and {len(self.problems) - limit} more problem(s)")
        return shown


@dataclass
class SourceData:
    path: Path
    version: str | None
    banks: list[tuple[str | None, ...]] = field(default_factory=list)
    branches: list[tuple[str | None, ...]] = field(default_factory=list)
    orphan_bank_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StageResult:
    snapshot_id: int
    banks: int
    branches: int
    orphan_bank_codes: list[str]


def _show(value: Any, limit: int = 60) -> str:
    """A value as a problem line shows it: repr (escapes NUL and control characters),
    shortened to ``limit`` characters with its length."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value)} characters)"
    text = repr(value)
    if len(text) > limit + 20:
        return f"{text[:limit]}… ({type(value).__name__}, {len(text)} characters as text)"
    return text


def _path_text(path: Path) -> str:
    """A path as text PostgreSQL and a terminal can take (undecodable bytes escaped)."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


class _Object(dict):
    """A JSON object that remembers the keys it held more than once."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicates:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any, depth: int = 0) -> int:
    if depth > _MAX_DEPTH:
        return depth
    if isinstance(value, dict):
        return max((_depth(v, depth + 1) for v in value.values()), default=depth + 1)
    if isinstance(value, list):
        return max((_depth(v, depth + 1) for v in value), default=depth + 1)
    return depth


def _text_problem(text: str) -> str | None:
    """Why PostgreSQL text cannot hold ``text`` (a NUL, a lone surrogate), or None."""
    if "\x00" in text:
        return f"{_show(text)} contains NUL (U+0000) at character {text.index(chr(0)) + 1}"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"{_show(text)} is not valid Unicode at character {exc.start + 1}"
    return None


class _Reader:
    """Reads one folder, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[SourceProblem] = []

    def problem(self, file: str, message: str, key: str | None = None,
                field: str | None = None) -> None:
        self.problems.append(SourceProblem(file, message, key, field))

    def read_bytes(self, path: Path, name: str, max_bytes: int = MAX_FILE_BYTES) -> bytes | None:
        """The file's bytes; None (with a problem) when missing, unreadable or too large."""
        try:
            st = os.stat(path)  # follows symlinks; a loop raises ELOOP
        except FileNotFoundError:
            self.problem(name, "missing")
            return None
        except OSError as exc:
            self.problem(name, f"cannot be read: {exc.strerror or exc}")
            return None
        if not stat.S_ISREG(st.st_mode):
            self.problem(name, "not a regular file")
            return None
        if st.st_size > max_bytes:
            self.problem(name, f"{st.st_size} bytes, limit {max_bytes}")
            return None
        try:
            with open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as exc:
            self.problem(name, f"cannot be read: {exc.strerror or exc}")
            return None
        if len(data) > max_bytes:
            self.problem(name, f"more than {max_bytes} bytes")
            return None
        return data

    def read_json(self, path: Path, name: str) -> Any:
        """The parsed file; :data:`UNREADABLE` (with a problem) when it is not a UTF-8
        JSON document."""
        data = self.read_bytes(path, name)
        if data is None:
            return UNREADABLE
        if not data:
            self.problem(name, "empty file (0 bytes)")
            return UNREADABLE
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(name, f"not UTF-8 at byte {exc.start}: {data[exc.start:exc.start + 8]!r}")
            return UNREADABLE
        if text.startswith("\ufeff"):
            self.problem(name, "starts with a byte order mark; save it as UTF-8 without BOM")
            return UNREADABLE
        try:
            doc = json.loads(text, object_pairs_hook=_object, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            self.problem(name, f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
            return UNREADABLE
        except (ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, ValueError) else "nested too deeply"
            self.problem(name, f"not valid JSON: {reason}")
            return UNREADABLE
        if _depth(doc) > _MAX_DEPTH:
            self.problem(name, f"nested deeper than {_MAX_DEPTH} levels")
            return UNREADABLE
        return doc

    def records(self, doc: Any, name: str, what: str) -> Iterator[tuple[str, dict]]:
        """The (key, record) pairs of a ``{code: record}`` document whose shape is sound."""
        if not isinstance(doc, dict):
            self.problem(name, f"expected an object of {what} by code, found "
                               f"{type(doc).__name__} {_show(doc)}")
            return
        duplicates = set(getattr(doc, "duplicates", []))
        for key in sorted(doc):
            record = doc[key]
            if key in duplicates and not _text_problem(key):
                self.problem(name, "appears more than once in the file; a code must be unique",
                             key=key)
                continue
            bad = _text_problem(key)
            if bad:
                self.problem(name, f"the key {bad}", key=key)
                continue
            if not isinstance(record, dict):
                self.problem(name, f"expected an object, found {type(record).__name__} "
                                   f"{_show(record)}", key=key)
                continue
            sound = True
            for dup in getattr(record, "duplicates", []):
                self.problem(name, "appears more than once in the record", key=key, field=dup)
                sound = False
            code = record.get("code")
            if code != key:
                shown = "missing" if "code" not in record else _show(code)
                self.problem(name, f"{shown} differs from its key {_show(key, 20)}",
                             key=key, field="code")
                sound = False
            for f in _FIELDS:
                value = record.get(f)
                if value is not None and not isinstance(value, str):
                    self.problem(name, f"{type(value).__name__} {_show(value)}, expected a"
                                       " string", key=key, field=f)
                    sound = False
                elif isinstance(value, str) and (bad := _text_problem(value)):
                    self.problem(name, bad, key=key, field=f)
                    sound = False
            if sound:
                yield key, record


def _value(record: dict, key: str) -> str | None:
    value = record.get(key)
    return None if value is None else str(value)


def _read_version(reader: _Reader, path: Path) -> str | None:
    file = path / "updated_at"
    if not os.path.lexists(file):
        return None
    data = reader.read_bytes(file, "updated_at", max_bytes=256)
    if data is None:
        return None
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        reader.problem("updated_at", f"not UTF-8 at byte {exc.start}")
        return None
    if bad := _text_problem(text):
        reader.problem("updated_at", bad)
        return None
    return text or None


def inspect_source(path: Path) -> tuple[SourceData, list[SourceProblem]]:
    """Read a source-data folder: its data and every structural problem found.

    Records with a problem are left out of the data; the content rules are SQL's
    (:func:`stage` runs them). A folder whose ``banks.json`` holds no banks, or
    that has no ``branches/`` folder, or a listed bank without a non-empty branch
    file, is a problem: staged, it would read as a deletion of the whole master.
    """
    path = Path(path)
    reader = _Reader(path)
    try:
        is_dir = path.is_dir()
    except OSError:
        is_dir = False
    if not is_dir:
        reader.problem(_path_text(path), "not a folder (expected banks.json and branches/)")
        return SourceData(path=path, version=None), reader.problems
    data = SourceData(path=path, version=_read_version(reader, path))
    banks_doc = reader.read_json(path / "banks.json", "banks.json")
    bank_keys: set[str] = set(banks_doc) if isinstance(banks_doc, dict) else set()
    if isinstance(banks_doc, dict) and not banks_doc:
        reader.problem("banks.json", "holds no banks ({}); staged, it would delete every bank")
    if banks_doc is not UNREADABLE:
        for key, record in reader.records(banks_doc, "banks.json", "banks"):
            data.banks.append((key, *(_value(record, k) for k in _FIELDS)))

    branch_dir = path / "branches"
    try:
        entries = sorted(os.scandir(branch_dir), key=lambda e: e.name)
    except FileNotFoundError:
        reader.problem("branches/", "missing; staged, the snapshot would delete every branch")
        entries = None
    except OSError as exc:
        reader.problem("branches/", f"cannot be read: {exc.strerror or exc}")
        entries = None
    if entries is None:
        return data, reader.problems
    files = {e.name[:-len(".json")]: Path(e.path) for e in entries if e.name.endswith(".json")}
    for bank_code in sorted(bank_keys - set(files)):
        if _text_problem(bank_code) is None:
            reader.problem(f"branches/{_path_text(Path(bank_code))}.json",
                           "missing: the bank is in banks.json; staged, the snapshot would"
                           " delete all its branches")
    for bank_code, file in sorted(files.items()):
        name = f"branches/{_path_text(Path(file.name))}"
        if bank_code not in bank_keys:
            data.orphan_bank_codes.append(_path_text(Path(bank_code)))
            continue
        doc = reader.read_json(file, name)
        if doc is UNREADABLE:
            continue
        if isinstance(doc, dict) and not doc:
            reader.problem(name, "holds no branches ({}); staged, it would delete all the"
                                 " bank's branches")
        for key, record in reader.records(doc, name, "branches"):
            data.branches.append((bank_code, key, *(_value(record, k) for k in _FIELDS)))
    return data, reader.problems


def read_source(path: Path) -> SourceData:
    """Read a source-data folder; :class:`SourceDataError` naming every structural problem."""
    data, problems = inspect_source(path)
    if problems:
        raise SourceDataError(Path(path), problems)
    return data


def _content_problems(cur: psycopg.Cursor, data: SourceData) -> list[SourceProblem]:
    """The master's content rules over every record (zengin.find_source_problems)."""
    problems: list[SourceProblem] = []
    banks = [(b[0], None, *b[1:]) for b in data.banks]
    for target, records in (("bank", banks), ("branch", data.branches)):
        if not records:
            continue
        cur.execute("SELECT record_no, field, value, rule, sqlstate"
                    " FROM zengin.find_source_problems(%s, %s::jsonb)",
                    (target, json.dumps(records, ensure_ascii=False)))
        for record_no, fld, value, rule, sqlstate in cur.fetchall():
            bank_code, branch_code = records[record_no - 1][:2]
            if target == "bank":
                file, key = "banks.json", bank_code
            else:
                file, key = f"branches/{bank_code}.json", branch_code
            source_field = {"bank_code": "code" if target == "bank" else "bank code (file name)",
                            "branch_code": "code"}.get(fld, fld)
            shown = "missing" if value is None else _show(value)
            problems.append(SourceProblem(
                file, f"{shown}: {rule} [{sqlstate}]", key=key, field=source_field))
    return problems


def _rows(snapshot_id: int, rows: list[tuple[str | None, ...]]) -> Iterator[tuple]:
    for row in rows:
        yield (snapshot_id, *row)


def stage(conn: psycopg.Connection, data: SourceData, source: str | None = None,
          version: str | None = None,
          problems: list[SourceProblem] | None = None) -> StageResult:
    """Check every record against the master's rules, then insert the snapshot header
    and COPY its banks and branches; one transaction. :class:`SourceDataError` (nothing
    staged) when ``problems`` (structural, from :func:`inspect_source`) or the content
    rules find anything."""
    with conn.transaction(), conn.cursor() as cur:
        found = list(problems or []) + _content_problems(cur, data)
        if found:
            raise SourceDataError(data.path, found)
        cur.execute(
            "INSERT INTO zengin.snapshots (source, source_version, bank_count, branch_count,"
            " orphan_branch_files, orphan_bank_codes) VALUES (%s, %s, %s, %s, %s, %s)"
            " RETURNING id",
            (source or _path_text(data.path), version or data.version, len(data.banks),
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
    """Read a source-data folder and stage it; :class:`SourceDataError` lists every
    problem, structural and content, and nothing is staged."""
    data, problems = inspect_source(Path(path))
    return stage(conn, data, version=version, problems=problems)
