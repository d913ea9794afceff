"""Bad master data is refused with a ZG SQLSTATE and a message naming field and value."""

from __future__ import annotations

import psycopg
import pytest

BANK = "INSERT INTO zengin.banks (bank_code, name, kana) VALUES (%s, %s, %s)"
BRANCH = "INSERT INTO zengin.branches (bank_code, branch_code, name, kana) VALUES (%s, %s, %s, %s)"


def _refused(db: psycopg.Connection, query: str, params: tuple) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as exc:
        db.execute(query, params)
    return exc.value


@pytest.mark.parametrize("code", ["001", "00001", "ABCD", "０００１", "12a4", " 001", ""])
def test_bad_bank_code_is_refused_naming_field_and_value(db: psycopg.Connection, code: str) -> None:
    err = _refused(db, BANK, (code, "試験", "シケン"))
    assert err.sqlstate == "ZG001"
    assert "bank_code" in err.diag.message_primary and repr(code)[1:-1] in err.diag.message_primary


@pytest.mark.parametrize("code", ["01", "0001", "ABC", "０１２"])
def test_bad_branch_code_is_refused_naming_field_and_value(
    db: psycopg.Connection, code: str
) -> None:
    db.execute(BANK, ("0999", "試験", "シケン"))
    err = _refused(db, BRANCH, ("0999", code, "本店", "ホンテン"))
    assert err.sqlstate == "ZG001"
    assert "branch_code" in err.diag.message_primary and code in err.diag.message_primary


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_empty_bank_name_is_refused(db: psycopg.Connection, name: str) -> None:
    err = _refused(db, BANK, ("0999", name, "シケン"))
    assert err.sqlstate == "ZG002"
    assert "invalid name" in err.diag.message_primary
    assert err.diag.message_detail == f"field=name value={name}"


def test_empty_branch_name_is_refused(db: psycopg.Connection) -> None:
    db.execute(BANK, ("0999", "試験", "シケン"))
    err = _refused(db, BRANCH, ("0999", "001", "", "ホンテン"))
    assert err.sqlstate == "ZG002"
    assert "name" in err.diag.message_primary


@pytest.mark.parametrize("kana", ["ほんてん", "Honten", "ﾎﾝﾃﾝ", "", "ホン テン"])
def test_non_katakana_kana_is_refused(db: psycopg.Connection, kana: str) -> None:
    err = _refused(db, BANK, ("0999", "試験", kana))
    assert err.sqlstate == "ZG003"
    assert "kana" in err.diag.message_primary and kana in err.diag.message_primary


@pytest.mark.parametrize("kana", ["ミツビシユ－エフジエイ", "エス．ビ－．アイ．シンセイ",
                                  "ジエイエイ　バンク", "ＳＢＩシンセイ", "ヴイ"])
def test_real_zengin_kana_is_accepted(db: psycopg.Connection, kana: str) -> None:
    db.execute(BANK, ("0999", "試験", kana))


def test_code_cannot_change_in_place(db: psycopg.Connection) -> None:
    db.execute(BANK, ("0999", "試験", "シケン"))
    err = _refused(db, "UPDATE zengin.banks SET bank_code = '0998' WHERE bank_code = %s", ("0999",))
    assert err.sqlstate == "ZG004"


def test_check_constraints_back_up_the_trigger(db: psycopg.Connection) -> None:
    db.execute("ALTER TABLE zengin.banks DISABLE TRIGGER tg_banks__validate_insert")
    err = _refused(db, BANK, ("12", "試験", "シケン"))
    assert err.sqlstate == "23514"


def test_bad_update_is_refused_naming_field_and_value(db: psycopg.Connection) -> None:
    db.execute(BANK, ("0999", "試験", "シケン"))
    err = _refused(db, "UPDATE zengin.banks SET kana = 'しけん' WHERE bank_code = %s", ("0999",))
    assert err.sqlstate == "ZG003" and "しけん" in err.diag.message_primary


def test_null_name_is_refused(db: psycopg.Connection) -> None:
    err = _refused(db, BANK, ("0999", None, "シケン"))
    assert err.sqlstate == "ZG002"
