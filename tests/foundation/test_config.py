"""Configuration follows libpq and AWS conventions."""

from __future__ import annotations

import pytest

from bbase.config import dsn_from_secret
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
