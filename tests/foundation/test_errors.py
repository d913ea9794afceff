"""The project's SQLSTATEs reach Python as named exceptions, with field and value in the message.

docs/errors.md and glue/bbase/errors.py list the same codes under the same class
names (checked both ways), and every project code the SQL mentions is listed.
"""

from __future__ import annotations

import re

import psycopg
import pytest

from bbase import errors
from bbase_workshop import CHECKOUT as ROOT


@pytest.mark.parametrize("code", sorted(errors.SQLSTATES))
def test_project_sqlstate_translates_to_its_exception(db: psycopg.Connection, code: str) -> None:
    with pytest.raises(psycopg.Error) as caught:
        db.execute("SELECT bbase.raise_invalid(%s, 'bank_code', '12a4', 'exactly 4 digits')",
                   (code,))
    db.rollback()
    translated = errors.translate(caught.value)
    assert type(translated).__name__ == errors.SQLSTATES[code][0]
    assert isinstance(translated, errors.DatabaseRuleError)
    assert translated.sqlstate == code
    assert "bank_code" in str(translated) and "12a4" in str(translated)


def test_unknown_sqlstate_is_left_as_the_psycopg_error(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.DivisionByZero) as caught:
        db.execute("SELECT 1 / 0")
    db.rollback()
    assert errors.translate(caught.value) is caught.value


# --- docs/errors.md, errors.py and the SQL agree ---------------------------------

#: A table row of docs/errors.md: | SQLSTATE | Exception | Meaning |
_DOC_ROW = re.compile(r"^\|\s*([0-9A-Z]{5})\s*\|\s*(\w+)\s*\|(.*)\|\s*$", re.MULTILINE)
#: A quoted SQLSTATE literal of a project class: two letters and three digits
#: ('ZG001'), wherever it stands: ERRCODE = 'ZG011', bbase.raise_invalid('ZG001', …),
#: v_code := 'SE005' … ERRCODE = v_code.
_CODE_LITERAL = re.compile(r"'([A-Z]{2}[0-9]{3})'")
#: PostgreSQL's own classes spelled with two letters (foreign data wrapper, internal).
_STANDARD_LETTER_CLASSES = {"HV", "XX"}


def _documented() -> dict[str, str]:
    """SQLSTATE -> exception class name, from the tables of docs/errors.md."""
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = _DOC_ROW.findall(text)
    codes = [code for code, _, _ in rows]
    assert len(codes) == len(set(codes)), "a code is listed twice in docs/errors.md"
    return {code: name for code, name, _ in rows}


def _project_codes_in(text: str) -> set[str]:
    return {c for c in _CODE_LITERAL.findall(text) if c[:2] not in _STANDARD_LETTER_CLASSES}


def _codes_raised_in_sql() -> dict[str, list[str]]:
    """Project SQLSTATE -> the sql/ and migrations/ files that mention it quoted."""
    found: dict[str, list[str]] = {}
    for path in sorted([*(ROOT / "sql").rglob("*.sql"), *(ROOT / "migrations").glob("*.sql")]):
        for code in _project_codes_in(path.read_text(encoding="utf-8")):
            found.setdefault(code, []).append(str(path.relative_to(ROOT)))
    return found


def test_docs_errors_table_and_errors_module_match_both_ways() -> None:
    documented = _documented()
    in_module = {code: cls.__name__ for code, cls in errors.CLASSES.items()}
    assert documented, "no table rows found in docs/errors.md"
    assert {c: n for c, n in documented.items() if in_module.get(c) != n} == {}
    assert {c: n for c, n in in_module.items() if documented.get(c) != n} == {}


def test_every_exception_class_has_its_own_project_sqlstate() -> None:
    classes = errors.DatabaseRuleError.__subclasses__()
    assert sorted(cls.sqlstate for cls in classes) == sorted(errors.CLASSES)
    assert [cls.__name__ for cls in classes if not _project_codes_in(f"'{cls.sqlstate}'")] == []


def test_code_scan_sees_codes_raised_through_helpers_and_variables() -> None:
    sample = """
        PERFORM bbase.raise_invalid('ZG001', 'bank_code', v_code, 'exactly 4 digits');
        v_state := 'SE005';
        RAISE EXCEPTION 'x' USING ERRCODE = v_state;
        RAISE EXCEPTION 'y' USING ERRCODE = 'ZS010';
        RAISE EXCEPTION 'z' USING ERRCODE = '23514';
        RAISE EXCEPTION 'w' USING ERRCODE = 'XX000';
    """
    assert _project_codes_in(sample) == {"ZG001", "SE005", "ZS010"}


def test_every_project_sqlstate_in_the_sql_is_documented() -> None:
    raised = _codes_raised_in_sql()
    assert raised, "the scan found no project SQLSTATE at all"
    documented = _documented()
    assert {c: files for c, files in raised.items() if c not in documented} == {}
