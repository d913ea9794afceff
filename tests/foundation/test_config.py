"""Configuration follows libpq and AWS conventions."""

from __future__ import annotations

import pytest

from bbase import config
from bbase.config import dsn_from_secret
from bbase.connection import connect, connection_options
from bbase.migrate import yoyo_uri


def test_secret_in_design_document_shape_becomes_a_libpq_uri() -> None:
    secret = {"username": "advasa_user", "password": "p@ss/word", "host": "db.example",
              "port": 5432, "database": "advasa_db", "ssl": "require"}
    assert dsn_from_secret(secret) == (
        "postgresql://advasa_user:p%40ss%2Fword@db.example:5432/advasa_db?sslmode=require")


def test_secret_missing_host_names_the_field() -> None:
    with pytest.raises(ValueError, match="host"):
        dsn_from_secret({"username": "u", "database": "d"})


def test_yoyo_uri_selects_the_psycopg3_backend() -> None:
    assert yoyo_uri("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert yoyo_uri("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    with pytest.raises(ValueError, match="DATABASE_URL"):
        yoyo_uri("host=h dbname=d")


# --- connection pooling (DATABASE_POOL_MODE, DATABASE_DIRECT_URL, bbase.connection) ----------
POOLED = "postgresql://app@pooler.example:6432/bbase"
DIRECT = "postgresql://dba@db.example:5432/bbase"


def _pooled_env(monkeypatch: pytest.MonkeyPatch, mode: str, direct: str | None = None) -> None:
    for name in ("DB_SECRET_ID", "BBASE_LOCAL", "DATABASE_DIRECT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", POOLED)
    monkeypatch.setenv("DATABASE_POOL_MODE", mode)
    if direct:
        monkeypatch.setenv("DATABASE_DIRECT_URL", direct)


def test_a_transaction_pooled_url_turns_automatic_prepared_statements_off(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pooled_env(monkeypatch, "transaction", DIRECT)
    assert config.resolve_dsn() == POOLED
    assert connection_options(POOLED) == {"prepare_threshold": None}
    assert connection_options(DIRECT) == {}


def test_a_session_url_keeps_psycopgs_prepared_statements_and_is_its_own_direct_url(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pooled_env(monkeypatch, "session")
    assert config.resolve_dsn() == POOLED
    assert config.resolve_direct_dsn() == POOLED
    assert connection_options(POOLED) == {}


def test_work_that_needs_a_session_goes_to_the_direct_url_behind_a_transaction_pooler(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pooled_env(monkeypatch, "transaction", DIRECT)
    assert config.resolve_direct_dsn(what="bbase migrate") == DIRECT


def test_work_that_needs_a_session_stops_without_a_direct_url_behind_a_transaction_pooler(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pooled_env(monkeypatch, "transaction")
    with pytest.raises(config.ConfigError, match="bbase sync needs a session.*DATABASE_DIRECT_URL"):
        config.resolve_direct_dsn(what="bbase sync")


def test_a_session_connection_is_refused_a_transaction_pooled_dsn_before_connecting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pooled_env(monkeypatch, "transaction", DIRECT)
    config.resolve_dsn()
    with pytest.raises(config.ConfigError, match="transaction pooler.*DATABASE_DIRECT_URL"):
        connect(POOLED, session=True, application_name="bbase sync")


def test_an_unknown_pool_mode_names_the_setting_and_the_value(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pooled_env(monkeypatch, "statement")
    with pytest.raises(config.ConfigError, match="DATABASE_POOL_MODE.*'statement'"):
        config.resolve_dsn()


def test_the_local_default_goes_through_its_pooler_and_migrates_directly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DB_SECRET_ID", "DATABASE_POOL_MODE", "DATABASE_DIRECT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BBASE_LOCAL", "1")
    local = config.Endpoint("postgresql://postgres@127.0.0.1:7001/bbase_demo", "transaction",
                            "postgresql://postgres@127.0.0.1:7000/bbase_demo")
    monkeypatch.setattr(config, "_local_database", lambda: local)
    assert config.resolve_dsn() == local.dsn
    assert config.pool_mode_of(local.dsn) == "transaction"
    assert config.resolve_direct_dsn() == local.direct_dsn
    assert config.pool_mode_of(local.direct_dsn) == "session"
