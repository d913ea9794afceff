"""The personal data keys never reach the server log nor pg_stat_statements.

Runs on a throwaway cluster of its own, configured as an auditor would:
``log_statement = all``, ``pg_stat_statements`` preloaded and tracking nested
statements (``track = all``), errors logged with their statement. A control
proves the set-up would catch a leak: a sentinel sent as a bound parameter does
appear in both.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bbase import migrate as mig
from bbase.keys import KeySet, load_keys
from tests.ses.conftest import TEST_KEYS

pgcluster = pytest.importorskip("bbase_workshop.pgcluster")

AUDIT_SETTINGS = (
    "shared_preload_libraries = 'pg_stat_statements'\n"
    "pg_stat_statements.track = all\n"
    "pg_stat_statements.track_utility = on\n"
    "log_statement = all\n"
    "log_min_error_statement = error\n"
    "log_error_verbosity = verbose\n"
)


@pytest.fixture(scope="module")
def audited() -> Iterator[tuple[str, Path]]:
    """(dsn of a migrated database, server log) of a cluster logging every statement."""
    if not (pgcluster.PG_BIN / "initdb").exists():
        pytest.skip(f"needs the local PostgreSQL 15 binaries ({pgcluster.PG_BIN}) for a cluster"
                    " whose logging the test controls")
    base = Path(tempfile.mkdtemp(prefix="bbase-test-audit-"))
    base.chmod(0o755)
    cluster = pgcluster.LocalCluster(datadir=base / "data", port=pgcluster.free_port())
    cluster.init()
    with (cluster.datadir / "postgresql.conf").open("a") as f:
        f.write(AUDIT_SETTINGS)
    cluster.start()
    try:
        with psycopg.connect(cluster.dsn, autocommit=True) as conn:
            conn.execute("CREATE DATABASE audited")
        dsn = cluster.dsn_for("audited")
        mig.migrate(dsn)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        yield dsn, cluster.logfile
    finally:
        cluster.destroy()


#: The key sets the exercise uses: the session's, then one more version for a rotation.
NEWER = TEST_KEYS.with_new_version()


def _exercise(dsn: str, keys: KeySet, newer: KeySet) -> None:
    """Every path that touches a key: load, encrypt, blind index, decrypt, rotate, and errors."""
    with psycopg.connect(dsn) as conn:
        load_keys(conn, keys)
        conn.execute("INSERT INTO engineer_context.engineers (engineer_code, last_name_encrypted, "
                     "first_name_encrypted, email_encrypted, employment_type) VALUES ('ENG-001', "
                     "ses_common.encrypt_personal_data('engineer_name', '山田'), "
                     "ses_common.encrypt_personal_data('engineer_name', '太郎'), "
                     "ses_common.encrypt_personal_data('engineer_contact', 'yamada@example.jp'),"
                     " 'EMPLOYEE')")
        conn.execute("SELECT ses_common.decrypt_engineer_name(last_name_encrypted) "
                     "FROM engineer_context.engineers").fetchall()
        conn.commit()
        load_keys(conn, newer)
        conn.execute("SELECT * FROM ses_common.rotate_personal_data_keys(10)").fetchall()
        conn.execute("SELECT engineer_code FROM engineer_context.engineers WHERE email_hmac = ANY "
                     "(ses_common.blind_index_personal_data('engineer_contact',"
                     " 'yamada@example.jp'))"
                     ).fetchall()
        conn.commit()
        load_keys(conn, keys)  # the old key set cannot read version 2: an error path
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT ses_common.decrypt_engineer_name(last_name_encrypted) "
                         "FROM engineer_context.engineers").fetchall()
        conn.rollback()


def _key_texts(keys: KeySet) -> list[str]:
    """Every way a key could be written (hex, upper-case hex, bytea escape), and the
    per-class keys derived from it (HMAC-SHA256(class, key), the PGP passwords)."""
    classes = ("engineer_name", "engineer_contact", "payee_account", "signer_contact",
               "delivery_address")
    out = []
    for v in keys.versions.values():
        for raw in (v.encryption, v.blind_index):
            derived = [hmac.new(raw, c.encode(), hashlib.sha256).digest() for c in classes]
            for material in (raw, *derived):
                out += [material.hex(), material.hex().upper(), "\\x" + material.hex()]
    return out


@pytest.fixture(scope="module")
def exercised(audited: tuple[str, Path]) -> tuple[str, Path]:
    _exercise(audited[0], TEST_KEYS, NEWER)
    return audited


def _stat_statements(dsn: str) -> str:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return "\n".join(r[0] for r in conn.execute("SELECT query FROM pg_stat_statements"))


def test_the_audit_set_up_would_see_a_key_sent_as_a_parameter(audited: tuple[str, Path]) -> None:
    dsn, log = audited
    sentinel = secrets.token_hex(32)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT %s::text", (sentinel,))
        conn.execute(f"SELECT '{sentinel}x'")  # a literal in the statement text
    assert sentinel in log.read_text(errors="replace")
    assert f"{sentinel}x" not in _stat_statements(dsn)  # normalised: constants become $n
    assert "SELECT $1::text" in _stat_statements(dsn)


def test_keys_are_not_in_the_server_log(exercised: tuple[str, Path]) -> None:
    text = exercised[1].read_text(errors="replace")
    assert "COPY pg_temp.ses_session_keys" in text  # the loads were logged, as statements
    assert "SE121" in text  # and so was the error path
    assert [k for k in _key_texts(NEWER) if k in text] == []


def test_keys_are_not_in_pg_stat_statements(exercised: tuple[str, Path]) -> None:
    text = _stat_statements(exercised[0])
    assert "ses_session_keys" in text and "pgp_sym_encrypt" in text  # nested statements tracked
    assert [k for k in _key_texts(NEWER) if k in text] == []
