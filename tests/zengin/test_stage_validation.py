"""bbase zengin stage checks the whole folder before staging anything: one line per
problem (file, key, field, value), exit 2, never a traceback, nothing staged."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bbase import cli
from bbase.staging import SourceDataError, inspect_source, read_source, stage_path
from tests.zengin.helpers import SMALL_BANKS, SMALL_BRANCHES, write_source


def _folder(tmp_path: Path, banks: Any = None, branches: Any = None) -> Path:
    return write_source(tmp_path / "src", copy.deepcopy(SMALL_BANKS if banks is None else banks),
                        copy.deepcopy(SMALL_BRANCHES if branches is None else branches))


def _lines(folder: Path) -> list[str]:
    return [p.line() for p in inspect_source(folder)[1]]


def _only_line(folder: Path) -> str:
    lines = _lines(folder)
    assert len(lines) == 1, lines
    return lines[0]


# --- structure and encoding (the glue) -----------------------------------------------

@pytest.mark.parametrize(("content", "expected"), [
    (b"", "banks.json: empty file (0 bytes)"),
    (b'{"0001": {"code": "0001"', "banks.json: not valid JSON at line 1"),
    (b'\xff\xfe{"0001": {}}', "banks.json: not UTF-8 at byte 0"),
    (b'\xef\xbb\xbf{}', "banks.json: starts with a byte order mark"),
    (b'{"0001": NaN}', "banks.json: not valid JSON: NaN is not JSON"),
    (b'[]', "banks.json: expected an object of banks by code, found list []"),
    (b'null', "banks.json: expected an object of banks by code, found NoneType None"),
    (b'{}', "banks.json: holds no banks ({}); staged, it would delete every bank"),
    (b'[' * 5000 + b']' * 5000, "banks.json: not valid JSON"),
])
def test_a_malformed_banks_json_is_one_line_naming_the_file(
        tmp_path: Path, content: bytes, expected: str) -> None:
    folder = _folder(tmp_path)
    (folder / "banks.json").write_bytes(content)
    assert any(line.startswith(expected) for line in _lines(folder)), _lines(folder)


def test_a_record_that_is_not_an_object_names_its_key(tmp_path: Path) -> None:
    folder = _folder(tmp_path, banks={**SMALL_BANKS, "0009": ["0009", "x"]},
                     branches={**SMALL_BRANCHES, "0009": {"001": SMALL_BRANCHES["0005"]["001"]}})
    assert _only_line(folder) == ("banks.json: key '0009': expected an object, found list "
                                  "['0009', 'x']")


def test_a_nul_in_a_name_names_file_key_field_and_position(tmp_path: Path) -> None:
    banks = copy.deepcopy(SMALL_BANKS)
    banks["0001"]["name"] = "みず\x00ほ"
    assert _only_line(_folder(tmp_path, banks=banks)) == (
        "banks.json: key '0001': name: 'みず\\x00ほ' contains NUL (U+0000) at character 3")


def test_a_field_of_the_wrong_type_names_its_type_and_value(tmp_path: Path) -> None:
    branches = copy.deepcopy(SMALL_BRANCHES)
    branches["0005"]["001"]["kana"] = 42
    assert _only_line(_folder(tmp_path, branches=branches)) == (
        "branches/0005.json: key '001': kana: int 42, expected a string")


def test_duplicate_codes_in_a_file_are_a_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    text = json.dumps(SMALL_BANKS, ensure_ascii=False)
    (folder / "banks.json").write_text(
        text[:-1] + ', "0001": ' + json.dumps(SMALL_BANKS["0001"]) + "}", encoding="utf-8")
    assert _only_line(folder) == ("banks.json: key '0001': appears more than once in the file;"
                                  " a code must be unique")


def test_a_duplicate_field_in_a_record_is_a_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "branches" / "0005.json").write_text(
        '{"001": {"code": "001", "name": "本店", "kana": "ホンテン", "name": "別名"}}',
        encoding="utf-8")
    assert _only_line(folder) == ("branches/0005.json: key '001': name: appears more than once"
                                  " in the record")


def test_a_code_differing_from_its_key_is_a_problem(tmp_path: Path) -> None:
    banks = copy.deepcopy(SMALL_BANKS)
    banks["0005"]["code"] = "0006"
    assert _only_line(_folder(tmp_path, banks=banks)) == (
        "banks.json: key '0005': code: '0006' differs from its key '0005'")


def test_a_missing_branches_folder_is_refused_as_a_deletion_of_every_branch(
        tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    shutil.rmtree(folder / "branches")
    assert _only_line(folder) == ("branches/: missing; staged, the snapshot would delete every"
                                  " branch")


def test_a_bank_without_a_branch_file_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "branches" / "0005.json").unlink()
    assert _only_line(folder).startswith("branches/0005.json: missing: the bank is in banks.json")


def test_a_symlink_loop_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "branches" / "0005.json").unlink()
    os.symlink("0005.json", folder / "branches" / "0005.json")
    assert _only_line(folder) == ("branches/0005.json: cannot be read: Too many levels of"
                                  " symbolic links")


def test_a_folder_that_is_a_symlink_loop_is_a_problem(tmp_path: Path) -> None:
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    assert _only_line(tmp_path / "loop").endswith(
        "not a folder (expected banks.json and branches/)")


def test_a_branch_file_that_is_a_folder_is_a_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "branches" / "0005.json").unlink()
    (folder / "branches" / "0005.json").mkdir()
    assert _only_line(folder) == "branches/0005.json: not a regular file"


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    banks = copy.deepcopy(SMALL_BANKS)
    banks["0001"]["code"] = "9999"
    banks["0005"]["name"] = 5
    folder = _folder(tmp_path, banks=banks)
    (folder / "branches" / "0001.json").write_bytes(b"")
    assert [line.split(":")[0] for line in _lines(folder)] == [
        "banks.json", "banks.json", "branches/0001.json"]


def test_read_source_raises_source_data_error_with_every_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "banks.json").write_bytes(b"{}")
    shutil.rmtree(folder / "branches")
    with pytest.raises(SourceDataError) as exc:
        read_source(folder)
    assert len(exc.value.problems) == 2 and exc.value.exit_code == 2


# --- content rules (SQL: zengin.find_source_problems) ---------------------------------

def test_content_problems_come_from_sql_with_their_sqlstate_and_nothing_is_staged(
        db: psycopg.Connection, tmp_path: Path) -> None:
    banks = copy.deepcopy(SMALL_BANKS)
    banks["0005"]["kana"] = "ひらがな"
    branches = copy.deepcopy(SMALL_BRANCHES)
    branches["0001"]["004"]["name"] = "名" * 101
    before = db.execute("SELECT count(*) FROM zengin.snapshots").fetchone()[0]
    with pytest.raises(SourceDataError) as exc:
        stage_path(db, _folder(tmp_path, banks=banks, branches=branches))
    lines = exc.value.lines()
    assert lines[0].startswith("banks.json: key '0005': kana: 'ひらがな': must be full-width")
    assert lines[0].endswith("[ZG003]")
    assert lines[1].startswith("branches/0001.json: key '004': name: '名名")
    assert lines[1].endswith("101 characters, limit 100 [ZG040]")
    assert db.execute("SELECT count(*) FROM zengin.snapshots").fetchone()[0] == before


def test_a_bad_key_is_reported_as_the_code_field(db: psycopg.Connection, tmp_path: Path) -> None:
    banks = {**copy.deepcopy(SMALL_BANKS), "12a4": {"code": "12a4", "name": "x", "kana": "エ"}}
    branches = {**copy.deepcopy(SMALL_BRANCHES), "12a4": {"001": SMALL_BRANCHES["0005"]["001"]}}
    with pytest.raises(SourceDataError) as exc:
        stage_path(db, _folder(tmp_path, banks=banks, branches=branches))
    assert exc.value.lines() == [
        "banks.json: key '12a4': code: '12a4': must be exactly 4 ASCII digits [ZG001]",
        "branches/12a4.json: key '001': bank code (file name): '12a4': must be exactly 4 ASCII"
        " digits [ZG001]"]


# --- the command ---------------------------------------------------------------------

def _run_stage(dsn: str, folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = dsn
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["zengin", "stage", str(folder)])
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
    return code, out.getvalue(), err.getvalue()


@pytest.mark.commits
def test_stage_command_exits_2_with_one_line_per_problem_and_stages_nothing(
        fresh_dsn: str, tmp_path: Path) -> None:
    banks = copy.deepcopy(SMALL_BANKS)
    banks["0005"]["kana"] = "ひらがな"
    banks["0001"]["code"] = "0002"
    folder = _folder(tmp_path, banks=banks)
    (folder / "branches" / "0005.json").write_bytes(b"\x00\x01")
    code, out, err = _run_stage(fresh_dsn, folder)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines == [
        "bbase: banks.json: key '0001': code: '0002' differs from its key '0001'",
        "bbase: branches/0005.json: not valid JSON at line 1 column 1: Expecting value",
        "bbase: banks.json: key '0005': kana: 'ひらがな': must be full-width katakana (ァ-ヺ, ー,"
        " －, ．, ・, （）, ／, full-width A-Z/0-9, ideographic space) [ZG003]",
        f"bbase: 3 problem(s) in {folder}; nothing staged",
    ]
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM zengin.snapshots").fetchone()[0] == 0


# --- property: random bad folders ---------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_NOT_A_STRING = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                          st.booleans(), st.lists(st.integers(), max_size=3),
                          st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@st.composite
def _faults(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """One to four faults, each of which alone makes the folder unstageable."""
    fault = st.one_of(
        st.tuples(st.just("banks_bytes"), st.sampled_from(
            [b"", b"{", b"[]", b"null", b"{}", b"\xff\xfe\xfd", b'{"0001": Infinity}', b'"x"'])),
        st.tuples(st.just("bank_not_object"), st.one_of(_NOT_A_STRING, _TEXT, st.none())),
        st.tuples(st.just("field_wrong_type"),
                  st.tuples(st.sampled_from(["name", "kana", "hira", "roma"]), _NOT_A_STRING)),
        st.tuples(st.just("field_nul"), st.tuples(st.sampled_from(["name", "kana", "roma"]),
                                                  _TEXT, _TEXT)),
        st.tuples(st.just("field_oversize"), st.tuples(
            st.sampled_from(["name", "kana", "hira", "roma"]), st.integers(101, 3000))),
        st.tuples(st.just("kana_not_katakana"), st.text(
            st.characters(codec="utf-8", categories=("Ll", "Lu", "Nd", "Lo")), min_size=1,
            max_size=8).filter(lambda s: not all("ァ" <= c <= "ヺ" for c in s))),
        st.tuples(st.just("code_mismatch"), st.text("0123456789", min_size=1, max_size=5)
                  .filter(lambda s: s != "0005")),
        st.tuples(st.just("duplicate_key"), st.just(None)),
        st.tuples(st.just("no_branches_folder"), st.just(None)),
        st.tuples(st.just("branch_file"), st.sampled_from(
            ["empty", "missing", "loop", "folder", "not_json", "empty_object"])),
        st.tuples(st.just("bad_key"), st.text("0123456789abcＡ", min_size=1, max_size=6)
                  .filter(lambda s: not (len(s) == 4 and s.isascii() and s.isdigit()))),
    )
    return draw(st.lists(fault, min_size=1, max_size=4))


def _break_branch_file(target: Path, how: str) -> None:
    if how == "empty":
        target.write_bytes(b"")
    elif how == "loop":
        os.symlink(target.name, target)
    elif how == "folder":
        target.mkdir()
    elif how == "not_json":
        target.write_bytes(b"{'001': 1}")
    elif how == "empty_object":
        target.write_bytes(b"{}")
    # "missing": left removed


def _apply(folder: Path, faults: list[tuple[str, Any]]) -> None:
    banks = json.loads((folder / "banks.json").read_text(encoding="utf-8"))
    raw_banks: bytes | None = None
    for kind, arg in faults:
        if kind == "banks_bytes":
            raw_banks = arg
        elif kind == "bank_not_object":
            banks["0005"] = arg
        elif kind == "field_wrong_type":
            banks["0001"][arg[0]] = arg[1]
        elif kind == "field_nul":
            banks["0001"][arg[0]] = arg[1] + "\x00" + arg[2]
        elif kind == "field_oversize":
            banks["0001"][arg[0]] = {"name": "名", "kana": "ア", "hira": "あ", "roma": "a"}[
                arg[0]] * arg[1]
        elif kind == "kana_not_katakana":
            banks["0001"]["kana"] = arg
        elif kind == "code_mismatch" and isinstance(banks.get("0005"), dict):
            banks["0005"]["code"] = arg
        elif kind == "code_mismatch":
            banks["0001"]["code"] = "0001x"
        elif kind == "duplicate_key":
            raw_banks = raw_banks or (json.dumps(banks, ensure_ascii=False)[:-1] + ', "0001": {}}'
                                      ).encode("utf-8")
        elif kind == "no_branches_folder":
            shutil.rmtree(folder / "branches", ignore_errors=True)
        elif kind == "branch_file" and (folder / "branches").is_dir():
            target = folder / "branches" / "0001.json"
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.is_dir():
                target.rmdir()
            _break_branch_file(target, arg)
        elif kind == "branch_file":
            shutil.rmtree(folder / "branches", ignore_errors=True)
        elif kind == "bad_key":
            banks[arg] = {"code": arg, "name": "不正", "kana": "フセイ"}
            if (folder / "branches").is_dir():
                (folder / "branches" / f"{arg}.json").write_text(
                    json.dumps({"001": {"code": "001", "name": "本店", "kana": "ホンテン"}},
                               ensure_ascii=False), encoding="utf-8")
    (folder / "banks.json").write_bytes(
        raw_banks if raw_banks is not None
        else json.dumps(banks, ensure_ascii=False).encode("utf-8"))


@pytest.mark.commits
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faults=_faults())
def test_a_random_bad_folder_exits_2_with_one_line_per_problem_and_stages_nothing(
        fresh_dsn: str, faults: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(Path(tmp))
        _apply(folder, faults)
        code, out, err = _run_stage(fresh_dsn, folder)
    assert code == 2, (faults, out, err)
    lines = err.splitlines()
    assert len(lines) >= 2 and all(line.startswith("bbase: ") for line in lines), err
    assert lines[-1].endswith("; nothing staged")
    assert "Traceback" not in err and out == ""
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM zengin.snapshots").fetchone()[0] == 0
