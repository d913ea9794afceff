"""How refused values appear in messages (bbase.abbreviate_value, used by bbase.raise_invalid and
every quarantine reason): short, and always on one line."""

from __future__ import annotations

import psycopg
import pytest


@pytest.mark.parametrize(("value", "shown"), [
    ("\n", "␊"), ("a\tb", "a␉b"), ("\x1b[31mred", "␛[31mred"), ("\r\n", "␍␊"), ("\x7f", "␡"),
    ("ｱｲｳ　alice", "ｱｲｳ　alice"),
])
def test_a_control_character_is_shown_as_its_picture(db: psycopg.Connection, value: str,
                                                      shown: str) -> None:
    assert db.execute("SELECT bbase.abbreviate_value(%s)", (value,)).fetchone()[0] == shown


def test_a_refused_value_never_breaks_the_message_onto_a_second_line(
        db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT bbase.raise_invalid('ZG017', 'p_x', %s, 'a rule')", ("a\nb" * 50,))
    assert "\n" not in str(exc.value).splitlines()[0] + exc.value.diag.message_detail
    assert "a␊b" in exc.value.diag.message_primary


def test_a_long_value_is_cut_to_sixty_characters_and_its_length(db: psycopg.Connection) -> None:
    shown = db.execute("SELECT bbase.abbreviate_value(repeat('x', 400000))").fetchone()[0]
    assert shown == "x" * 60 + "… (400000 characters)"
