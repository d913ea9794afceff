"""The Zengin transfer file (総合振込): byte layout, totals, refusals, and a round trip
through the parser."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bbase import keys as ses_keys
from bbase import transfer_file as tf
from tests.ses.conftest import TEST_KEYS, add_master_branch


def _business_day(conn: psycopg.Connection, after_days: int = 7) -> dt.date:
    return conn.execute(
        "SELECT min(d)::date FROM generate_series(current_date + %s, current_date + 90,"
        " '1 day') d WHERE ses_common.is_bank_business_day(d::date)", (after_days,)).fetchone()[0]


def _account(conn: psycopg.Connection, bank: str, branch: str, number: str, kana: str) -> uuid.UUID:
    return conn.execute(
        "INSERT INTO billing_context.payee_accounts (owner_type, partner_company_id, bank_code,"
        " branch_code, account_type, account_number_encrypted, account_holder_kana_encrypted)"
        " VALUES ('PARTNER_COMPANY', %s, %s, %s, 1,"
        " ses_common.encrypt_personal_data('payee_account', %s),"
        " ses_common.encrypt_personal_data('payee_account', %s)) RETURNING id",
        (uuid.uuid4(), bank, branch, number, kana)).fetchone()[0]


def _payable(conn: psycopg.Connection, account: uuid.UUID | None, amount: int | str,
             due: dt.date, status: str = "UNPAID") -> None:
    conn.execute("SELECT ses_common.create_partitions('billing_context.invoices'::regclass,"
                 " %s, %s)", (due, due))
    conn.execute(
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
        " direction, customer_id, payee_account_id, issuer_name, recipient_name,"
        " service_period_start, service_period_end, issue_date, due_date, status,"
        " subtotal_amount, tax_amount, total_amount) VALUES (%s, %s, %s, 'PAYABLE', %s, %s,"
        " 'partner', 'us', %s, %s, %s, %s, %s, %s, 0, %s)",
        (due.year, due.month, f"P-{uuid.uuid4().hex[:10]}", uuid.uuid4(), account,
         due - dt.timedelta(days=40), due - dt.timedelta(days=31), due - dt.timedelta(days=30),
         due, status, amount, amount))


class Batch:
    """A small payables batch: two accounts at bank 0001, three payables."""

    def __init__(self, conn: psycopg.Connection) -> None:
        ses_keys.load_keys(conn, TEST_KEYS)
        add_master_branch(conn, "0001", "001", bank_kana="ミズホ", branch_kana="トウキヨウ")
        add_master_branch(conn, "0001", "002", bank_kana="ミズホ", branch_kana="マルノウチ")
        add_master_branch(conn, "0005", "001", bank_kana="ミツビシユ－エフジエイ",
                          branch_kana="ホンテン")
        conn.execute("INSERT INTO billing_context.transfer_originators (originator_code,"
                     " originator_name_kana, bank_code, branch_code, account_type,"
                     " account_number, is_default) VALUES ('1234567890', 'ｶ)ﾋﾞ-ﾍﾞ-ｽ', '0005',"
                     " '001', 1, '7654321', true)")
        self.date = _business_day(conn)
        self.yamada = _account(conn, "0001", "001", "1234567", "やまだ　たろう")
        self.kyuyo = _account(conn, "0001", "002", "0000042", "ｶ)ｷｭｳﾖ")
        _payable(conn, self.yamada, 330000, self.date)
        _payable(conn, self.yamada, 1000, self.date - dt.timedelta(days=3))
        _payable(conn, self.kyuyo, 55000, self.date)
        _payable(conn, self.kyuyo, 999, self.date + dt.timedelta(days=1))  # not due yet
        _payable(conn, self.kyuyo, 777, self.date, status="DRAFT")         # not approved
        self.conn = conn

    def records(self) -> list[tuple[Any, ...]]:
        return self.conn.execute("SELECT * FROM billing_context.build_transfer_records(%s)"
                                 " ORDER BY record_no", (self.date,)).fetchall()

    def file(self) -> bytes:
        return tf.build(self.conn, self.date)


@pytest.fixture
def batch(db: psycopg.Connection) -> Batch:
    return Batch(db)


def test_every_record_is_120_bytes_of_cp932_ended_by_crlf(batch: Batch) -> None:
    data = batch.file()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert [len(line) for line in lines] == [120] * 5
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert "ﾔﾏﾀﾞ ﾀﾛｳ".encode("cp932") in lines[1]  # half-width kana, one byte each


def test_records_are_header_data_trailer_end_with_type_code_21(batch: Batch) -> None:
    records = [r[2] for r in batch.records()]
    assert [r[0] for r in records] == ["1", "2", "2", "8", "9"]
    assert records[0][1:4] == "210"


def test_header_carries_the_originator_and_the_payment_date(batch: Batch) -> None:
    head = batch.records()[0][2]
    assert head[4:14] == "1234567890"
    assert head[14:54] == "ｶ)ﾋﾞ-ﾍﾞ-ｽ".ljust(40)
    assert head[54:58] == batch.date.strftime("%m%d")
    assert (head[58:62], head[77:80], head[95], head[96:103]) == ("0005", "001", "1", "7654321")
    assert head[103:] == " " * 17


def test_numeric_fields_are_zero_filled_and_text_fields_space_filled(batch: Batch) -> None:
    data = batch.records()[1][2]
    assert data[1:5] == "0001" and data[5:20] == "ﾐｽﾞﾎ".ljust(15)
    assert data[20:23] == "001" and data[23:38] == "ﾄｳｷﾖｳ".ljust(15)
    assert data[38:42] == "0000"
    assert data[42] == "1" and data[43:50] == "1234567"
    assert data[50:80] == "ﾔﾏﾀﾞ ﾀﾛｳ".ljust(30)
    assert data[80:90] == "0000331000"
    assert data[90:111] == "0" * 21 and data[111] == "7" and data[112:] == " " * 8


def test_a_master_name_outside_the_transfer_set_leaves_the_name_field_blank(batch: Batch) -> None:
    # ミツビシユ－エフジエイ has a full-width hyphen (fine) — the bank name converts.
    head = batch.records()[0][2]
    assert head[62:77] == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ".ljust(15)
    batch.conn.execute("UPDATE zengin.banks SET kana = 'ミツビシユーエフジエイ'"
                       " WHERE bank_code = '0005'")
    assert batch.records()[0][2][62:77] == " " * 15


def test_trailer_count_and_total_equal_the_data_records(batch: Batch) -> None:
    rows = batch.records()
    trailer = rows[3][2]
    amounts = [r[4] for r in rows if r[1] == "2"]
    assert int(trailer[1:7]) == len(amounts) == 2
    assert int(trailer[7:19]) == sum(amounts) == 331000 + 55000
    assert trailer[19:] == " " * 101
    assert rows[4][2] == "9" + " " * 119


def test_a_file_read_back_by_the_parser_gives_the_same_transfers(batch: Batch) -> None:
    parsed = tf.parse(batch.file())
    assert [(t.bank_code, t.branch_code, t.account_number, t.holder, t.amount)
            for t in parsed.transfers] == [
        ("0001", "001", "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 331000),
        ("0001", "002", "0000042", "ｶ)ｷﾕｳﾖ", 55000)]
    assert (parsed.trailer_count, parsed.trailer_total) == (2, 386000)
    assert parsed.payment_mmdd == batch.date.strftime("%m%d")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda d: d.replace(b"\r\n", b"\n"), "CRLF"),
    (lambda d: d[:130] + d[131:], "bytes"),
    (lambda d: d.replace(b"8000002000000386000", b"8000002000000386001"), "trailer says"),
    (lambda d: d.replace(b"\r\n9", b"\r\n2", 1), "record order"),
])
def test_the_parser_refuses_a_damaged_file(batch: Batch, damage: Any, message: str) -> None:
    with pytest.raises(tf.TransferFileError) as exc:
        tf.parse(damage(batch.file()))
    assert message in str(exc.value)


def test_a_batch_with_an_invalid_account_is_refused_naming_it(batch: Batch) -> None:
    batch.conn.execute("DELETE FROM zengin.branches"
                       " WHERE bank_code = '0001' AND branch_code = '002'")
    with pytest.raises(psycopg.Error) as exc:
        batch.records()
    assert exc.value.sqlstate == "SE144"
    assert str(batch.kyuyo) in exc.value.diag.message_detail
    assert "INVALID" in exc.value.diag.message_detail
    assert str(batch.yamada) not in exc.value.diag.message_detail


def test_a_batch_naming_every_bad_account_lists_each(batch: Batch) -> None:
    batch.conn.execute("UPDATE billing_context.payee_accounts SET status = 'CLOSED' WHERE id = %s",
                       (batch.yamada,))
    batch.conn.execute("DELETE FROM zengin.branches"
                       " WHERE bank_code = '0001' AND branch_code = '002'")
    with pytest.raises(psycopg.Error) as exc:
        batch.records()
    assert exc.value.sqlstate == "SE144"
    assert len(exc.value.diag.message_detail.splitlines()) == 2


def test_a_payable_without_a_payee_account_refuses_the_batch(batch: Batch) -> None:
    _payable(batch.conn, None, 5000, batch.date)
    with pytest.raises(psycopg.Error) as exc:
        batch.records()
    assert exc.value.sqlstate == "SE144"
    assert "name no payee account" in exc.value.diag.message_detail


def test_a_holiday_is_refused_as_payment_date(batch: Batch) -> None:
    holiday = batch.conn.execute(
        "SELECT min(holiday_date) FROM ses_common.bank_holidays WHERE holiday_date > current_date"
        " AND kind = 'NATIONAL' AND extract(isodow FROM holiday_date) < 6").fetchone()[0]
    with pytest.raises(psycopg.Error) as exc:
        batch.conn.execute("SELECT * FROM billing_context.build_transfer_records(%s)", (holiday,))
    assert exc.value.sqlstate == "SE142"
    assert "not a bank business day" in exc.value.diag.message_primary


def test_a_weekend_or_past_date_is_refused(batch: Batch) -> None:
    saturday = batch.date + dt.timedelta(days=(5 - batch.date.weekday()) % 7)
    for day in (saturday, dt.date.today() - dt.timedelta(days=1)):
        with pytest.raises(psycopg.Error) as exc, batch.conn.transaction():
            batch.conn.execute("SELECT * FROM billing_context.build_transfer_records(%s)", (day,))
        assert exc.value.sqlstate == "SE142"


def test_an_amount_beyond_ten_digits_is_refused(batch: Batch) -> None:
    _payable(batch.conn, batch.yamada, 9999999999, batch.date)  # + 331000 already due
    with pytest.raises(psycopg.Error) as exc:
        batch.records()
    assert exc.value.sqlstate == "SE145"
    assert str(batch.yamada) in exc.value.diag.message_primary


def test_an_amount_with_sen_is_refused(batch: Batch) -> None:
    _payable(batch.conn, batch.kyuyo, "0.50", batch.date)
    with pytest.raises(psycopg.Error) as exc:
        batch.records()
    assert exc.value.sqlstate == "SE145"


def test_nothing_due_builds_no_file(batch: Batch) -> None:
    batch.conn.execute("UPDATE billing_context.invoices SET status = 'CANCELLED',"
                       " cancelled_at = now()")
    with pytest.raises(psycopg.Error) as exc:
        batch.records()
    assert exc.value.sqlstate == "SE146"


def test_a_role_that_may_not_decrypt_cannot_build_the_file(batch: Batch) -> None:
    batch.conn.execute("SET LOCAL ROLE ses_project_manager_role")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        batch.records()


def test_finance_builds_the_file_without_any_zengin_grant(batch: Batch) -> None:
    batch.conn.execute("SET LOCAL ROLE ses_finance_role")
    assert [r[1] for r in batch.records()] == ["1", "2", "2", "8", "9"]


def test_build_records_write_nothing(batch: Batch) -> None:
    before = batch.conn.execute("SELECT array_agg((id, status, paid_amount) ORDER BY id)"
                                " FROM billing_context.invoices").fetchone()[0]
    batch.records()
    after = batch.conn.execute("SELECT array_agg((id, status, paid_amount) ORDER BY id)"
                               " FROM billing_context.invoices").fetchone()[0]
    assert after == before


def test_encode_refuses_a_record_that_is_not_120_bytes() -> None:
    with pytest.raises(tf.TransferFileError):
        tf.encode(["9" + " " * 118])
    with pytest.raises(tf.TransferFileError):
        tf.encode(["9" + "ア" + " " * 118])  # full-width: 2 bytes in cp932


@pytest.mark.commits
def test_the_command_writes_the_file_and_a_summary(
    fresh_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bbase.cli import main

    with psycopg.connect(fresh_dsn) as conn:
        batch = Batch(conn)
        day = batch.date
    key_file = tmp_path / "keys.json"
    ses_keys.write_key_file(key_file, TEST_KEYS)
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    monkeypatch.setenv("SES_KEYS_FILE", str(key_file))
    monkeypatch.delenv("SES_KEYS_SECRET_ID", raising=False)
    out = tmp_path / "furikomi.txt"
    assert main(["ses", "transfer-file", "--date", day.isoformat(), "--out", str(out)]) == 0
    parsed = tf.parse(out.read_bytes())
    assert (parsed.trailer_count, parsed.trailer_total) == (2, 386000)
    printed = capsys.readouterr().out
    assert "2 transfers, total 386,000 yen" in printed
    assert "***0042" in printed and "0000042" not in printed  # account numbers masked
    assert main(["ses", "transfer-file", "--date", day.isoformat(), "--out", str(out)]) != 0
