"""Personal data encrypted at rest (migration 0181, docs/ses.md "Personal data encryption").

Keys are loaded per transaction with bbase.keys.load_keys; TEST_KEYS is the session's
random key set. Raw reads are the superuser's (no decryption involved).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg import sql

from bbase import keys as ses_keys
from bbase.keys import KeySet, load_keys
from tests.ses.conftest import TEST_KEYS, qualified

Samples = dict[str, dict]


@contextlib.contextmanager
def raises_sqlstate(code: str) -> Iterator[pytest.ExceptionInfo[psycopg.Error]]:
    """pytest.raises for a project SQLSTATE (psycopg has no class for those)."""
    with pytest.raises(psycopg.Error) as exc:
        yield exc
    assert exc.value.sqlstate == code, exc.value

#: The clear values the sample rows encrypt (tests/ses/conftest.py SAMPLE_ROWS).
CLEAR_SAMPLES = ("山田", "太郎", "yamada@example.jp", "sato@example.jp", "1234567",
                 "ﾔﾏﾀﾞ ﾀﾛｳ", "山田 太郎")

PLAIN_COLUMNS = {
    "engineer_context.engineers": {"last_name", "first_name", "last_name_kana",
                                   "first_name_kana", "email", "phone"},
    "billing_context.payee_accounts": {"account_number", "account_holder_kana",
                                       "account_holder_name"},
    "contract_context.contract_signatures": {"signer_email"},
    "notification_context.notification_deliveries": {"recipient_address"},
}


def _registry(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    return [(f"{s}.{t}", c, d) for s, t, c, d in conn.execute(
        "SELECT table_schema, table_name, column_name, data_class "
        "FROM ses_common.encrypted_columns ORDER BY 1, 2, 3")]


def _encrypt(conn: psycopg.Connection, data_class: str, value: str) -> bytes:
    return conn.execute("SELECT ses_common.encrypt_personal_data(%s, %s)",
                        (data_class, value)).fetchone()[0]


def _versions(conn: psycopg.Connection) -> set[int]:
    """Every key version of every stored encrypted value."""
    found: set[int] = set()
    for table, column, _ in _registry(conn):
        version = column.removesuffix("_encrypted") + "_key_version"
        query = sql.SQL("SELECT DISTINCT {} FROM {} WHERE {} IS NOT NULL").format(
            sql.Identifier(version), qualified(table), sql.Identifier(column))
        found |= {r[0] for r in conn.execute(query)}
    return found


def _rotate_until_done(conn: psycopg.Connection, batch: int) -> int:
    calls = 0
    while True:
        calls += 1
        rows = conn.execute("SELECT * FROM ses_common.rotate_personal_data_keys(%s)",
                            (batch,)).fetchall()
        if all(remaining == 0 for _, _, remaining in rows):
            return calls


def test_no_plain_personal_column_is_left(db: psycopg.Connection) -> None:
    for table, plain in PLAIN_COLUMNS.items():
        columns = {r[0] for r in db.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped", (table,))}
        assert columns & plain == set(), table


def test_every_encrypted_column_is_bytea_with_a_generated_key_version(
    db: psycopg.Connection,
) -> None:
    registry = _registry(db)
    assert len(registry) == 11
    for table, column, _ in registry:
        version = column.removesuffix("_encrypted") + "_key_version"
        kinds = dict(db.execute(
            "SELECT attname, format_type(atttypid, atttypmod) || ':' || attgenerated::text "
            "FROM pg_attribute WHERE attrelid = %s::regclass AND attname IN (%s, %s)",
            (table, column, version)).fetchall())
        assert kinds == {column: "bytea:", version: "integer:s"}, table


def test_clear_text_is_not_in_the_tables(db: psycopg.Connection, samples: Samples) -> None:
    for table in PLAIN_COLUMNS:
        raw = " ".join(r[0] for r in db.execute(
            sql.SQL("SELECT t::text FROM {} AS t").format(qualified(table))))
        for clear in CLEAR_SAMPLES:
            assert clear not in raw, (table, clear)
            assert clear.encode().hex() not in raw, (table, clear)


def test_every_class_reads_back_through_its_decrypt_function(
    db: psycopg.Connection, samples: Samples
) -> None:
    got = db.execute("""
        SELECT ses_common.decrypt_engineer_name(e.last_name_encrypted),
               ses_common.decrypt_engineer_contact(e.email_encrypted),
               ses_common.decrypt_engineer_contact(e.phone_encrypted),
               ses_common.decrypt_payee_account(p.account_holder_kana_encrypted),
               ses_common.decrypt_signer_contact(s.signer_email_encrypted),
               ses_common.decrypt_delivery_address(d.recipient_address_encrypted)
        FROM engineer_context.engineers e, billing_context.payee_accounts p,
             contract_context.contract_signatures s, notification_context.notification_deliveries d
    """).fetchall()
    assert got == [("山田", "yamada@example.jp", None, "ﾔﾏﾀﾞ ﾀﾛｳ", "sato@example.jp",
                    "yamada@example.jp")]


def test_the_same_value_encrypts_differently_each_time(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    assert _encrypt(db, "engineer_name", "山田") != _encrypt(db, "engineer_name", "山田")


def test_reading_without_keys_raises_se120(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    data = _encrypt(db, "engineer_name", "山田")
    db.rollback()
    with raises_sqlstate("SE120"):
        db.execute("SELECT ses_common.decrypt_engineer_name(%s)", (data,))


def test_writing_without_keys_raises_se120(db: psycopg.Connection) -> None:
    with raises_sqlstate("SE120"):
        _encrypt(db, "engineer_name", "山田")


def test_keys_are_gone_after_the_transaction_commits(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        load_keys(conn, TEST_KEYS)
        data = _encrypt(conn, "engineer_name", "山田")
        conn.commit()
        with raises_sqlstate("SE120"):
            conn.execute("SELECT ses_common.decrypt_engineer_name(%s)", (data,))


def test_a_wrong_key_raises_se121_not_garbage(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    data = _encrypt(db, "engineer_name", "山田")
    db.rollback()
    load_keys(db, ses_keys.new_key_set())  # same version number 1, other key
    with raises_sqlstate("SE121"):
        db.execute("SELECT ses_common.decrypt_engineer_name(%s)", (data,))


def test_a_value_of_another_class_does_not_decrypt(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    email = _encrypt(db, "engineer_contact", "yamada@example.jp")
    with raises_sqlstate("SE121"):
        db.execute("SELECT ses_common.decrypt_payee_account(%s)", (email,))


def test_a_corrupted_ciphertext_raises_se121(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    data = bytearray(_encrypt(db, "engineer_name", "山田"))
    data[-3] ^= 0x01
    with raises_sqlstate("SE121"):
        db.execute("SELECT ses_common.decrypt_engineer_name(%s)", (bytes(data),))


@pytest.mark.parametrize("value", ["", " ", "\u3000", "\u00a0\t\n", "x" * 4097])
def test_blank_or_oversize_values_are_refused_with_se122(
    db: psycopg.Connection, value: str
) -> None:
    load_keys(db, TEST_KEYS)
    with raises_sqlstate("SE122"):
        _encrypt(db, "engineer_name", value)


def test_an_unknown_data_class_is_refused_with_se122(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    with raises_sqlstate("SE122") as exc:
        _encrypt(db, "salary", "600000")
    assert "data_class" in exc.value.diag.message_primary


def test_a_role_that_loads_keys_cannot_read_them_back(db: psycopg.Connection) -> None:
    db.execute("SET LOCAL ROLE ses_finance_role")
    load_keys(db, TEST_KEYS)
    assert _encrypt(db, "payee_account", "1234567")  # the definer functions can read them
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("SELECT encryption_key FROM pg_temp.ses_session_keys")


def test_a_key_table_made_by_someone_else_is_refused_with_se123(db: psycopg.Connection) -> None:
    db.execute("CREATE TEMPORARY TABLE ses_session_keys (key_version integer, is_current boolean,"
               " encryption_key bytea, blind_index_key bytea) ON COMMIT DROP")
    db.execute("ALTER TABLE pg_temp.ses_session_keys OWNER TO ses_admin_role")
    with raises_sqlstate("SE123"):
        load_keys(db, TEST_KEYS)


@pytest.mark.parametrize(("function", "readers"), [
    ("decrypt_engineer_name", {"ses_admin_role", "ses_project_manager_role", "ses_engineer_role",
                               "ses_customer_role", "ses_finance_role"}),
    ("decrypt_engineer_contact", {"ses_admin_role", "ses_engineer_role"}),
    ("decrypt_payee_account", {"ses_admin_role", "ses_finance_role"}),
    ("decrypt_signer_contact", {"ses_admin_role", "ses_project_manager_role"}),
    ("decrypt_delivery_address", {"ses_admin_role", "ses_project_manager_role",
                                  "ses_engineer_role", "ses_customer_role", "ses_finance_role"}),
    ("decrypt_personal_data", set()),
])
def test_only_the_roles_that_need_clear_text_may_decrypt(
    db: psycopg.Connection, function: str, readers: set[str]
) -> None:
    args = "text, bytea" if function == "decrypt_personal_data" else "bytea"
    allowed = {r[0] for r in db.execute(
        "SELECT rolname FROM pg_roles WHERE NOT rolsuper AND rolname NOT LIKE 'pg\\_%%' "
        "AND has_function_privilege(oid, %s::regprocedure, 'EXECUTE')",
        (f"ses_common.{function}({args})",))}
    assert allowed == readers


def test_internal_key_functions_are_granted_to_nobody(db: psycopg.Connection) -> None:
    granted = db.execute("""
        SELECT p.oid::regprocedure::text, r.rolname FROM pg_proc p, pg_roles r
        WHERE p.pronamespace = 'ses_common'::regnamespace
          AND p.proname IN ('read_session_key', 'derive_class_password', 'compute_blind_index',
                            'reencrypt_personal_data', 'check_data_class')
          AND NOT r.rolsuper AND r.rolname NOT LIKE 'pg\\_%%'
          AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
    """).fetchall()
    assert granted == []


def test_blind_index_finds_exactly_the_row(db: psycopg.Connection, samples: Samples) -> None:
    db.execute("INSERT INTO engineer_context.engineers (engineer_code, last_name_encrypted, "
               "first_name_encrypted, email_encrypted, employment_type) VALUES ('ENG-002', "
               "ses_common.encrypt_personal_data('engineer_name', '鈴木'), "
               "ses_common.encrypt_personal_data('engineer_name', '一郎'), "
               "ses_common.encrypt_personal_data('engineer_contact', 'suzuki@example.jp'), "
               "'EMPLOYEE')")
    found = db.execute(
        "SELECT engineer_code FROM engineer_context.engineers WHERE email_hmac = ANY "
        "(ses_common.blind_index_personal_data('engineer_contact', %s))",
        (" Yamada@EXAMPLE.jp",)).fetchall()
    assert found == [("ENG-001",)]


def test_a_forged_blind_index_is_overwritten(db: psycopg.Connection, samples: Samples) -> None:
    row = samples["engineer_context.engineers"]
    db.execute("UPDATE engineer_context.engineers SET email_hmac = '\\x0001ff' WHERE id = %s",
               (row["id"],))
    stored = db.execute("SELECT email_hmac FROM engineer_context.engineers WHERE id = %s",
                        (row["id"],)).fetchone()[0]
    assert stored == row["email_hmac"] and len(stored) == 34


def test_a_malformed_email_is_refused_by_its_check(
    db: psycopg.Connection, samples: Samples
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        db.execute("UPDATE engineer_context.engineers SET email_encrypted = "
                   "ses_common.encrypt_personal_data('engineer_contact', 'no-at-sign')")
    assert exc.value.diag.constraint_name == "engineers_email_check"
    assert "no-at-sign" not in str(exc.value)


def test_rotation_changes_every_key_version_and_keeps_every_row_readable(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("DELETE FROM contract_context.contract_signatures")  # soft-deleted rows rotate too
    db.execute("INSERT INTO engineer_context.engineers (engineer_code, last_name_encrypted, "
               "first_name_encrypted, employment_type) VALUES ('ENG-002', "
               "ses_common.encrypt_personal_data('engineer_name', '鈴木'), "
               "ses_common.encrypt_personal_data('engineer_name', '一郎'), 'EMPLOYEE')")
    before = _versions(db)
    newer = TEST_KEYS.with_new_version()
    load_keys(db, newer)
    calls = _rotate_until_done(db, batch=1)
    got = db.execute("""
        SELECT ses_common.decrypt_engineer_name(e.last_name_encrypted),
               ses_common.decrypt_engineer_contact(e.email_encrypted),
               ses_common.decrypt_payee_account(p.account_number_encrypted),
               ses_common.decrypt_signer_contact(s.signer_email_encrypted),
               e.email_hmac = ANY (ses_common.blind_index_personal_data('engineer_contact',
                                                                        'yamada@example.jp'))
        FROM engineer_context.engineers e, billing_context.payee_accounts p,
             contract_context.contract_signatures s
        WHERE e.engineer_code = 'ENG-001'
    """).fetchall()
    assert before == {1} and _versions(db) == {newer.current} and calls == 2
    assert got == [("山田", "yamada@example.jp", "1234567", "sato@example.jp", True)]


def test_rotation_encrypts_clear_text_left_at_version_0(db: psycopg.Connection) -> None:
    # what migration 0181 leaves of an installed database's clear text
    load_keys(db, TEST_KEYS)
    db.execute("INSERT INTO engineer_context.engineers (engineer_code, last_name_encrypted, "
               "first_name_encrypted, employment_type) VALUES ('ENG-009', "
               "'\\x0000'::bytea || convert_to('高橋', 'UTF8'), "
               "'\\x0000'::bytea || convert_to('花子', 'UTF8'), 'EMPLOYEE')")
    _rotate_until_done(db, batch=10)
    raw, version, name = db.execute(
        "SELECT last_name_encrypted, last_name_key_version, "
        "ses_common.decrypt_engineer_name(last_name_encrypted) "
        "FROM engineer_context.engineers WHERE engineer_code = 'ENG-009'").fetchone()
    assert (version, name) == (1, "高橋") and "高橋".encode() not in raw


def test_rotation_refuses_a_batch_size_out_of_range(db: psycopg.Connection) -> None:
    load_keys(db, TEST_KEYS)
    with raises_sqlstate("SE122"):
        db.execute("SELECT * FROM ses_common.rotate_personal_data_keys(0)")


@pytest.mark.commits
def test_concurrent_rotations_take_different_rows(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn) as conn:
        load_keys(conn, TEST_KEYS)
        for n in range(1, 6):
            conn.execute("INSERT INTO engineer_context.engineers (engineer_code, "
                         "last_name_encrypted, first_name_encrypted, employment_type) VALUES "
                         "(%s, ses_common.encrypt_personal_data('engineer_name', '鈴木'), "
                         "ses_common.encrypt_personal_data('engineer_name', '一郎'), 'EMPLOYEE')",
                         (f"ENG-00{n}",))
        conn.commit()
    newer = TEST_KEYS.with_new_version()
    with psycopg.connect(fresh_dsn) as a, psycopg.connect(fresh_dsn) as b:
        load_keys(a, newer)
        load_keys(b, newer)
        first = dict((t, r) for t, r, _ in a.execute(
            "SELECT * FROM ses_common.rotate_personal_data_keys(2)").fetchall())
        second = dict((t, r) for t, r, _ in b.execute(
            "SELECT * FROM ses_common.rotate_personal_data_keys(10)").fetchall())
        a.commit()
        b.commit()
    assert first["engineer_context.engineers"] == 2
    assert second["engineer_context.engineers"] == 3  # the 5 engineers, none twice


def test_key_set_refuses_a_key_of_the_wrong_length() -> None:
    bad = '{"current": 1, "keys": {"1": {"encryption": "00", "blind_index": "01"}}}'
    with pytest.raises(ses_keys.KeySetError, match="keys.1.encryption"):
        KeySet.parse(bad, "test")


def test_key_set_refuses_a_current_version_below_the_highest() -> None:
    two = TEST_KEYS.with_new_version().to_json().replace('"current": 2', '"current": 1')
    with pytest.raises(ses_keys.KeySetError, match="not the highest"):
        KeySet.parse(two, "test")


def test_key_file_readable_by_others_is_refused(tmp_path) -> None:
    path = tmp_path / "keys.json"
    ses_keys.write_key_file(path, TEST_KEYS)
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)
    with pytest.raises(ses_keys.KeySetError, match="chmod 600"):
        ses_keys.read_key_file(path)


def test_key_set_repr_shows_no_key_material() -> None:
    text = repr(TEST_KEYS) + repr(list(TEST_KEYS.versions.values()))
    assert all(v.encryption.hex() not in text for v in TEST_KEYS.versions.values())


@pytest.mark.commits
def test_rotate_keys_command_adds_a_version_and_re_encrypts_everything(
    fresh_dsn: str, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bbase.cli import main

    key_file = tmp_path / "keys.json"
    ses_keys.write_key_file(key_file, TEST_KEYS)
    with psycopg.connect(fresh_dsn) as conn:
        load_keys(conn, TEST_KEYS)
        for n in range(1, 4):
            conn.execute("INSERT INTO engineer_context.engineers (engineer_code, "
                         "last_name_encrypted, first_name_encrypted, employment_type) VALUES "
                         "(%s, ses_common.encrypt_personal_data('engineer_name', '鈴木'), "
                         "ses_common.encrypt_personal_data('engineer_name', '一郎'), 'EMPLOYEE')",
                         (f"ENG-00{n}",))
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    monkeypatch.setenv("SES_KEYS_FILE", str(key_file))
    monkeypatch.delenv("SES_KEYS_SECRET_ID", raising=False)
    assert main(["ses", "rotate-keys", "--new-key", "--batch-size", "2"]) == 0
    rotated = ses_keys.read_key_file(key_file)
    with psycopg.connect(fresh_dsn) as conn:
        versions = _versions(conn)
        load_keys(conn, rotated)
        names = conn.execute("SELECT DISTINCT ses_common.decrypt_engineer_name(last_name_encrypted)"
                             " FROM engineer_context.engineers").fetchall()
    assert rotated.current == 2 and sorted(rotated.versions) == [1, 2]
    assert versions == {2} and names == [("鈴木",)]
    assert "3 rows re-encrypted" in capsys.readouterr().out


_hex64 = st.text(alphabet="0123456789abcdefABCDEF", min_size=0, max_size=70)
_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), _hex64)


@settings(max_examples=200, deadline=None)
@given(doc=st.one_of(
    _json_scalar,
    st.fixed_dictionaries({
        "current": _json_scalar,
        "keys": st.dictionaries(
            st.one_of(st.text(max_size=6), st.integers(-2, 40000).map(str)),
            st.one_of(_json_scalar, st.fixed_dictionaries(
                {"encryption": _json_scalar, "blind_index": _json_scalar})),
            max_size=3),
    }),
))
def test_a_hostile_key_set_is_refused_with_one_line_that_shows_no_key(doc: object) -> None:
    text = json.dumps(doc)
    try:
        keys = KeySet.parse(text, "test")
    except ses_keys.KeySetError as exc:
        message = str(exc)
        assert "\n" not in message
        assert not [v for v in re.findall(r"[0-9a-fA-F]{16,}", text) if v in message]
    else:
        assert keys.current == max(keys.versions) and 1 <= keys.current <= 32767
        assert all(len(v.encryption) == len(v.blind_index) == 32 for v in keys.versions.values())


def test_key_set_round_trips_through_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    from bbase_workshop.moto_server import LOCAL_CREDENTIALS, MotoServer

    with MotoServer() as url:
        for key, value in {**LOCAL_CREDENTIALS, "AWS_ENDPOINT_URL": url,
                           "AWS_REGION": "ap-northeast-1"}.items():
            monkeypatch.setenv(key, value)
        client = boto3.client("secretsmanager", region_name="ap-northeast-1", endpoint_url=url)
        client.create_secret(Name="ses/keys", SecretString=TEST_KEYS.to_json())
        monkeypatch.setenv("SES_KEYS_SECRET_ID", "ses/keys")
        source = ses_keys.KeySource.from_env()
        fetched = source.read()
        source.write(fetched.with_new_version())
        rotated = ses_keys.fetch_keys()
    assert fetched.versions[1].encryption == TEST_KEYS.versions[1].encryption
    assert rotated.current == 2 and rotated.versions[1] == fetched.versions[1]


def test_rotate_keys_without_a_key_set_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bbase.cli import main

    for name in ("SES_KEYS_SECRET_ID", "SES_KEYS_FILE", "BBASE_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["ses", "rotate-keys"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "SES_KEYS_SECRET_ID" in err[0] and err[0].startswith("bbase: ")


def test_the_class_list_of_the_functions_is_the_registry_check(db: psycopg.Connection) -> None:
    check = db.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'ses_common.encrypted_columns'::regclass AND contype = 'c'").fetchone()[0]
    listed = set(re.findall(r"'([a-z_]+)'::text", check))
    accepted = {c for c in listed | {"salary", "Engineer_Name", ""} if db.execute(
        "SELECT ses_common.is_personal_data_class(%s)", (c,)).fetchone()[0]}
    registered = {r[0] for r in db.execute(
        "SELECT DISTINCT data_class FROM ses_common.encrypted_columns")}
    assert accepted == listed == registered and len(listed) == 5


@pytest.mark.commits
def test_a_row_being_edited_is_rotated_after_the_edit_and_keeps_it(fresh_dsn: str) -> None:
    newer = TEST_KEYS.with_new_version()
    with psycopg.connect(fresh_dsn) as setup:
        load_keys(setup, TEST_KEYS)
        setup.execute("INSERT INTO engineer_context.engineers (engineer_code, last_name_encrypted,"
                      " first_name_encrypted, employment_type) VALUES ('ENG-001', "
                      "ses_common.encrypt_personal_data('engineer_name', '山田'), "
                      "ses_common.encrypt_personal_data('engineer_name', '太郎'), 'EMPLOYEE')")
    with psycopg.connect(fresh_dsn) as editor, psycopg.connect(fresh_dsn) as rotator:
        load_keys(editor, TEST_KEYS)  # an editor still on the old key set
        editor.execute("UPDATE engineer_context.engineers SET last_name_encrypted = "
                       "ses_common.encrypt_personal_data('engineer_name', '佐藤')")
        load_keys(rotator, newer)
        during = rotator.execute("SELECT rotated, remaining FROM "
                                 "ses_common.rotate_personal_data_keys(10) "
                                 "WHERE table_name = 'engineer_context.engineers'").fetchone()
        rotator.commit()
        editor.commit()
        load_keys(rotator, newer)
        after = rotator.execute("SELECT rotated, remaining FROM "
                                "ses_common.rotate_personal_data_keys(10) "
                                "WHERE table_name = 'engineer_context.engineers'").fetchone()
        name = rotator.execute("SELECT ses_common.decrypt_engineer_name(last_name_encrypted), "
                               "last_name_key_version FROM engineer_context.engineers").fetchone()
    assert during == (0, 1) and after == (1, 0) and name == ("佐藤", 2)


def test_loading_keys_outside_a_transaction_is_refused(shared_dsn: str) -> None:
    with psycopg.connect(shared_dsn, autocommit=True) as conn, \
            pytest.raises(ses_keys.KeySetError, match="needs a transaction"):
        load_keys(conn, TEST_KEYS)


def test_key_versions_in_use_count_live_and_archived_values(
    db: psycopg.Connection, samples: Samples
) -> None:
    engineer = samples["engineer_context.engineers"]["id"]
    db.execute("INSERT INTO ses_archive.archived_rows (source_schema, source_table, source_id,"
               " row_data, archive_cutoff) SELECT 'engineer_context', 'engineers', e.id,"
               " to_jsonb(e), current_date FROM engineer_context.engineers e WHERE e.id = %s",
               (engineer,))
    counts = db.execute("SELECT * FROM ses_common.count_personal_data_key_versions()").fetchall()
    # samples: engineer (last, first, e-mail), payee (number, kana, holder), signer e-mail,
    # delivery address = 8 values; the archived engineer copy holds 3
    assert counts == [(1, 8, 3)]
