"""Payee accounts kept true against the Zengin master (issue 11): registration checks,
holder kana normalisation, deletions and renames of the master reaching the accounts,
and SES installed without the Zengin schema."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from bbase import keys as ses_keys
from bbase import migrate as mig
from tests.ses.conftest import TEST_KEYS, add_master_branch

Samples = dict[str, dict[str, Any]]


def _register(conn: psycopg.Connection, bank: str, branch: str, kana: str = "ﾔﾏﾀﾞ ﾀﾛｳ",
              number: str = "1234567") -> dict[str, Any]:
    cur = conn.execute(
        "INSERT INTO billing_context.payee_accounts (owner_type, partner_company_id, bank_code,"
        " branch_code, account_type, account_number_encrypted, account_holder_kana_encrypted)"
        " VALUES ('PARTNER_COMPANY', %s, %s, %s, 1,"
        " ses_common.encrypt_personal_data('payee_account', %s),"
        " ses_common.encrypt_personal_data('payee_account', %s)) RETURNING *",
        (uuid.uuid4(), bank, branch, number, kana))
    assert cur.description is not None
    return dict(zip([d.name for d in cur.description], cur.fetchone(), strict=True))


@pytest.fixture
def master(db: psycopg.Connection) -> psycopg.Connection:
    """Keys loaded; the master has bank 0001 with branches 001 and 002, bank 0005 with 001."""
    ses_keys.load_keys(db, TEST_KEYS)
    add_master_branch(db, "0001", "001")
    add_master_branch(db, "0001", "002", branch_kana="マルノウチ")
    add_master_branch(db, "0005", "001", bank_kana="ミツビシ", branch_kana="ホンテン")
    return db


def test_registration_on_a_branch_missing_from_the_master_is_refused(
    master: psycopg.Connection,
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        _register(master, "0001", "999")
    assert exc.value.sqlstate == "SE141"
    assert "0001-999" in exc.value.diag.message_primary


def test_registration_on_a_bank_missing_from_the_master_is_refused(
    master: psycopg.Connection,
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        _register(master, "9999", "001")
    assert exc.value.sqlstate == "SE141"
    assert "no such bank" in exc.value.diag.message_primary


def test_changing_the_branch_to_one_missing_from_the_master_is_refused(
    master: psycopg.Connection,
) -> None:
    account = _register(master, "0001", "001")
    with pytest.raises(psycopg.Error) as exc:
        master.execute("UPDATE billing_context.payee_accounts SET branch_code = '998'"
                       " WHERE id = %s", (account["id"],))
    assert exc.value.sqlstate == "SE141"


def test_a_registered_account_is_verified_with_the_master_names(
    master: psycopg.Connection,
) -> None:
    account = _register(master, "0001", "002")
    assert (account["master_check"], account["bank_name"], account["branch_name"]) == (
        "VERIFIED", "銀行0001", "支店002")
    assert account["verified_at"] is not None


@pytest.mark.parametrize(("typed", "stored"), [
    ("やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),     # hiragana, ideographic space
    ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),     # full-width katakana
    ("ｷｭｳﾖ(ｶ", "ｷﾕｳﾖ(ｶ"),             # small kana to large
    ("ガッコウ", "ｶﾞﾂｺｳ"),             # voiced and small
    ("ＡＢＣ（カ", "ABC(ｶ"),           # full-width Latin and brackets
    ("abc  shoji", "ABC SHOJI"),       # lower case, repeated spaces
    ("ヴィ", "ｳﾞｲ"),
])
def test_holder_kana_is_stored_normalised_to_half_width(
    master: psycopg.Connection, typed: str, stored: str
) -> None:
    account = _register(master, "0001", "001", kana=typed)
    assert master.execute("SELECT ses_common.decrypt_payee_account(%s)",
                          (account["account_holder_kana_encrypted"],)).fetchone()[0] == stored


@pytest.mark.parametrize(("typed", "char", "position"), [
    ("ﾔﾏﾀﾞ,ﾀﾛｳ", ",", 5), ("ﾔﾏﾀﾞ/ﾀﾛｳ", "/", 5), ("ｾｰﾗｰ", "ー", 2), ("山田", "山", 1),
    ("ﾔﾏﾀﾞ\tﾀﾛｳ", "\t", 5), ("ヰ", "ヰ", 1),
])
def test_holder_kana_that_cannot_be_normalised_is_refused_naming_the_character(
    master: psycopg.Connection, typed: str, char: str, position: int
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        _register(master, "0001", "001", kana=typed)
    assert exc.value.sqlstate == "SE140"
    assert exc.value.diag.message_detail == (
        f"field=account_holder_kana character={char} position={position}")


def test_holder_kana_refusal_does_not_show_the_value(master: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        _register(master, "0001", "001", kana="ﾔﾏﾀﾞ,ﾀﾛｳ")
    shown = " ".join(filter(None, (exc.value.diag.message_primary, exc.value.diag.message_detail,
                                   exc.value.diag.message_hint)))
    assert "ﾔﾏﾀﾞ" not in shown and "ﾀﾛｳ" not in shown


@pytest.mark.parametrize("typed", ["　", " \u3000 ", "ｱ" * 31])
def test_blank_or_overlong_holder_kana_is_refused(master: psycopg.Connection, typed: str) -> None:
    with pytest.raises(psycopg.Error) as exc:
        _register(master, "0001", "001", kana=typed)
    assert exc.value.sqlstate in {"SE140", "SE122"}  # SE122: blank before encryption


def test_deleting_a_branch_invalidates_exactly_the_accounts_on_it(
    master: psycopg.Connection,
) -> None:
    on_it = _register(master, "0001", "002")
    elsewhere = _register(master, "0001", "001")
    other_bank = _register(master, "0005", "001")
    master.execute("DELETE FROM zengin.branches WHERE bank_code = '0001' AND branch_code = '002'")
    status = dict(master.execute(
        "SELECT id, status FROM billing_context.payee_accounts WHERE id = ANY(%s)",
        ([on_it["id"], elsewhere["id"], other_bank["id"]],)).fetchall())
    assert status == {on_it["id"]: "INVALID", elsewhere["id"]: "ACTIVE",
                      other_bank["id"]: "ACTIVE"}


def test_a_manual_deletion_names_the_login_and_the_branch_in_the_reason(
    master: psycopg.Connection,
) -> None:
    account = _register(master, "0001", "002")
    master.execute("DELETE FROM zengin.branches WHERE bank_code = '0001' AND branch_code = '002'")
    reason = master.execute("SELECT invalid_reason FROM billing_context.payee_accounts"
                            " WHERE id = %s", (account["id"],)).fetchone()[0]
    assert reason.startswith("manual edit by ")
    assert "branch 0001-002 (支店002) deleted" in reason


def test_an_invalidated_account_notifies_finance(master: psycopg.Connection) -> None:
    """Through the outbox: PayeeAccountInvalidated, then the notifications consumer."""
    account = _register(master, "0001", "002")
    master.execute("SELECT ses_common.create_partitions("
                   "'notification_context.notifications'::regclass, current_date, current_date)")
    master.execute("DELETE FROM zengin.branches WHERE bank_code = '0001' AND branch_code = '002'")
    master.execute("SELECT * FROM ses_common.consume_events('notifications', 100)")
    rows = master.execute(
        "SELECT notification_type, payload ->> 'audience', payload ->> 'bank_code'"
        " FROM notification_context.notifications WHERE source_id = %s",
        (account["id"],)).fetchall()
    assert rows == [("PAYEE_ACCOUNT_INVALID", "ses_finance_role", "0001")]


def test_a_branch_rename_refreshes_the_name_and_keeps_the_account_active(
    master: psycopg.Connection,
) -> None:
    account = _register(master, "0001", "002")
    master.execute("UPDATE zengin.branches SET name = '丸の内中央' WHERE bank_code = '0001'"
                   " AND branch_code = '002'")
    row = master.execute("SELECT status, branch_name FROM billing_context.payee_accounts"
                         " WHERE id = %s", (account["id"],)).fetchone()
    assert row == ("ACTIVE", "丸の内中央")


def test_re_registering_an_invalid_account_on_a_known_branch_makes_it_active(
    master: psycopg.Connection,
) -> None:
    account = _register(master, "0001", "002")
    master.execute("DELETE FROM zengin.branches WHERE bank_code = '0001' AND branch_code = '002'")
    master.execute("UPDATE billing_context.payee_accounts SET branch_code = '001' WHERE id = %s",
                   (account["id"],))
    row = master.execute("SELECT status, invalid_reason, branch_name FROM"
                         " billing_context.payee_accounts WHERE id = %s",
                         (account["id"],)).fetchone()
    assert row == ("ACTIVE", None, "支店001")


#: SES with every context, encryption and the payee checks, but no Zengin migration.
SES_WITHOUT_ZENGIN = ["0001", "0100", "0110", "0115", "0120", "0130", "0135", "0140", "0150",
                      "0155", "0170", "0171", "0172", "0173", "0174", "0180", "0181", "0185"]


@pytest.mark.commits
def test_without_the_zengin_schema_an_account_is_recorded_not_verifiable(empty_dsn: str) -> None:
    mig.migrate(empty_dsn, only=SES_WITHOUT_ZENGIN)
    with psycopg.connect(empty_dsn) as conn:
        assert conn.execute("SELECT to_regnamespace('zengin')").fetchone()[0] is None
        ses_keys.load_keys(conn, TEST_KEYS)
        account = _register(conn, "0001", "001")
        assert (account["master_check"], account["verified_at"]) == ("NOT_VERIFIABLE", None)


@pytest.mark.commits
def test_without_the_zengin_schema_no_transfer_file_is_built(empty_dsn: str) -> None:
    mig.migrate(empty_dsn, only=SES_WITHOUT_ZENGIN)
    with psycopg.connect(empty_dsn) as conn:
        ses_keys.load_keys(conn, TEST_KEYS)
        with pytest.raises(psycopg.Error) as exc:
            conn.execute("SELECT * FROM billing_context.build_transfer_records(%s)",
                         (_next_business_day(conn),))
        assert exc.value.sqlstate == "SE143"


def _next_business_day(conn: psycopg.Connection) -> Any:
    return conn.execute(
        "SELECT min(d)::date FROM generate_series(current_date + 1, current_date + 30, '1 day') d"
        " WHERE ses_common.is_bank_business_day(d::date)").fetchone()[0]


@pytest.mark.commits
def test_zengin_alone_has_no_payee_hook_and_reports_impact_as_unchecked(empty_dsn: str) -> None:
    mig.migrate(empty_dsn, only=["0001", "001", "0050", "0175", "0176", "0177", "0178", "0179"])
    with psycopg.connect(empty_dsn) as conn:
        assert conn.execute("SELECT to_regnamespace('billing_context')").fetchone()[0] is None
        hooks = conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname ="
                             " 'tg_change_history__update_payee_accounts'").fetchone()[0]
        assert hooks == 0
        conn.execute("INSERT INTO zengin.banks (bank_code, name, kana) VALUES"
                     " ('0001', 'みずほ', 'ミズホ')")
        conn.execute("DELETE FROM zengin.banks WHERE bank_code = '0001'")  # no hook to fail
        diff_id = conn.execute("SELECT zengin.next_diff_ids(1)").fetchone()[0]
        conn.execute("INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by,"
                     " ttl) VALUES (%s, 'addition', 'bank', '{}', 'x',"
                     " extract(epoch FROM now() + interval '1 day')::bigint)", (diff_id,))
        impact = conn.execute("SELECT * FROM zengin.diff_impact(%s)", (diff_id,)).fetchone()
        assert impact == (False, None, None, None)


@pytest.mark.commits
def test_a_branch_deleted_while_an_account_on_it_is_registered_still_invalidates_it(
    fresh_dsn: str,
) -> None:
    import threading
    import time

    with psycopg.connect(fresh_dsn) as setup:
        add_master_branch(setup, "0001", "002")
    registering = psycopg.connect(fresh_dsn)
    deleting = psycopg.connect(fresh_dsn)
    try:
        ses_keys.load_keys(registering, TEST_KEYS)
        account = _register(registering, "0001", "002")  # not committed yet
        errors: list[BaseException] = []

        def delete() -> None:
            try:
                deleting.execute("SET lock_timeout = '20s'")
                deleting.execute("DELETE FROM zengin.branches"
                                 " WHERE bank_code = '0001' AND branch_code = '002'")
                deleting.commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        worker = threading.Thread(target=delete)
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive(), "the deletion did not wait for the registration"
        registering.commit()
        worker.join(30)
        assert errors == []
        status = registering.execute("SELECT status FROM billing_context.payee_accounts"
                                     " WHERE id = %s", (account["id"],)).fetchone()[0]
        assert status == "INVALID"
    finally:
        registering.close()
        deleting.close()
