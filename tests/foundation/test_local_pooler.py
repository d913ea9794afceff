"""The embedded default's PgBouncer (bbase_workshop.pooler) as configured and started."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from bbase_workshop.pooler import MAX_CLIENT_CONN, LocalPooler, default_pool_size
from tests.pg import PgServer, login_dsn


def test_the_pooler_runs_in_transaction_mode_for_2000_clients_ignoring_drivers_parameters(
        pooler: Any) -> None:
    config = {row["key"]: row["value"] for row in pooler.show("CONFIG")}
    assert config["pool_mode"] == "transaction"
    assert int(config["max_client_conn"]) >= 2000
    assert set(config["ignore_startup_parameters"].split(",")) >= {"extra_float_digits",
                                                                   "options"}
    assert config["listen_addr"] == "127.0.0.1"


def test_the_default_pool_is_twice_the_cores_plus_one(tmp_path: Path) -> None:
    made = LocalPooler(confdir=tmp_path, port=1, server_port=2)
    assert made.pool_size == default_pool_size() == 2 * (os.cpu_count() or 1) + 1
    assert f"default_pool_size = {made.pool_size}\n" in made.config_text()
    assert made.max_client_conn == MAX_CLIENT_CONN >= 2000


def test_a_login_created_after_the_pooler_started_connects_through_it(
        pooler: Any, pg: PgServer) -> None:
    if pg.kind == "testcontainers":
        pytest.skip("the postgres:15 container asks host logins for a password the pooler lacks")
    login = "bbase_test_pooler_late"
    with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
    # The postgres database, never the template: the pooler keeps its server connection
    # open, and CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to.
    with psycopg.connect(login_dsn(pooler.dsn_for("postgres"), login),
                         prepare_threshold=None) as conn:
        assert conn.execute("SELECT session_user").fetchone()[0] == login


def test_the_pooler_has_an_open_files_limit_for_all_its_clients(pooler: Any) -> None:
    limits = Path(f"/proc/{pooler.pid()}/limits").read_text().splitlines()
    soft = int(next(line for line in limits if line.startswith("Max open files")).split()[3])
    assert soft >= pooler.max_client_conn
