"""The project's SQLSTATEs reach Python as named exceptions, with field and value in the message."""

from __future__ import annotations

import psycopg
import pytest

from bbase import errors


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
