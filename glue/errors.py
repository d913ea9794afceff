"""The project's own SQLSTATEs, mapped to Python exceptions.

The authoritative list, with meanings, is ``docs/errors.md``; a test checks
that every code raised under ``sql/`` appears there and here.
"""

from __future__ import annotations

import psycopg


class BbaseError(Exception):
    """Base of every error the glue reports to its user."""


class DatabaseRuleError(BbaseError):
    """The database refused an operation with one of the project's SQLSTATEs."""

    sqlstate: str = ""

    def __init__(self, message: str, sqlstate: str, detail: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint


#: SQLSTATE -> (exception class name, short meaning). Keep in step with docs/errors.md.
SQLSTATES: dict[str, tuple[str, str]] = {}

_CLASSES: dict[str, type[DatabaseRuleError]] = {}


def _define(code: str, name: str, meaning: str) -> type[DatabaseRuleError]:
    cls = type(name, (DatabaseRuleError,), {"__doc__": meaning})
    SQLSTATES[code] = (name, meaning)
    _CLASSES[code] = cls
    globals()[name] = cls
    return cls


def load_registry() -> None:
    """Read the code table from docs/errors.md (the one place codes are listed)."""
    from glue.migrate import ROOT

    path = ROOT / "docs" / "errors.md"
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and len(cells[0]) == 5 and cells[0].isalnum() and cells[0].isupper():
            _define(cells[0], cells[1], cells[2])


def translate(exc: psycopg.Error) -> Exception:
    """Turn a psycopg error carrying a project SQLSTATE into its exception class."""
    diag = exc.diag
    code = diag.sqlstate or ""
    cls = _CLASSES.get(code)
    if cls is None:
        return exc
    return cls(diag.message_primary or str(exc), code, diag.message_detail, diag.message_hint)


load_registry()
