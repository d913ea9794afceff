"""Shared fixtures: one real PostgreSQL 15 per test session, migrated once.

* ``pg``: the server (see tests/pg.py for where it comes from).
* ``template_db``: a database migrated once per session and used as a template.
* ``db``: a connection to a shared migrated database inside a transaction that
  is rolled back after the test; most tests use this.
* ``fresh_dsn``: a database of its own cloned from the template, for tests
  marked ``commits`` (concurrency, partitions, anything that commits).
* ``empty_dsn``: an empty database, for migration tests.
* ``pooler``: a PgBouncer in transaction mode in front of the server (two server
  connections per database and user, so that clients share them), for the tests of
  what must hold behind a transaction pooler; skipped only when PgBouncer is missing.

The migrated server also has one LOGIN role per job (``tests.pg.LOGINS``), so
tests can act as distinct database logins: the four-eyes rule holds on
``session_user``, which ``SET ROLE`` does not change (``tests.pg.as_login``).

``BBASE_TEST_TEMPLATE`` (with ``PG_TEST_DSN``) names a database already
migrated on that server, used as the template instead of migrating one: the
mutation harness (``bbase mutate``, docs/testing.md) points it at a mutated copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import settings

from bbase import migrate as mig
from tests.pg import PgServer, create_logins, pg_server, pooler_in_front

# Property tests: the default run (./dev test, CI) replays the same examples every time, so a
# green suite stays green; HYPOTHESIS_PROFILE=explore draws new ones (and finds new bugs,
# as it did the multi-line quarantine reason), to be run by hand or on a schedule.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TEMPLATE = "bbase_template"


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    with pg_server() as server:
        yield server


@pytest.fixture(scope="session")
def pooler(pg: PgServer) -> Iterator[Any]:
    with pooler_in_front(pg, pool_size=2) as running:
        yield running


@pytest.fixture(scope="session")
def template_db(pg: PgServer) -> str:
    prepared = os.environ.get("BBASE_TEST_TEMPLATE")
    if prepared:
        create_logins(pg.admin_dsn)
        return prepared
    pg.create_db(TEMPLATE)
    mig.migrate(pg.dsn_for(TEMPLATE))
    create_logins(pg.admin_dsn)
    return TEMPLATE


@pytest.fixture(scope="session")
def shared_dsn(pg: PgServer, template_db: str) -> str:
    return pg.dsn_for(pg.create_db("bbase_shared", template=template_db))


@pytest.fixture
def db(shared_dsn: str) -> Iterator[psycopg.Connection]:
    """A connection whose work is rolled back after the test."""
    conn = psycopg.connect(shared_dsn, autocommit=False)
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


@pytest.fixture
def fresh_dsn(pg: PgServer, template_db: str) -> Iterator[str]:
    name = pg.create_db(template=template_db)
    try:
        yield pg.dsn_for(name)
    finally:
        pg.drop_db(name)


@pytest.fixture
def empty_dsn(pg: PgServer) -> Iterator[str]:
    name = pg.create_db()
    try:
        yield pg.dsn_for(name)
    finally:
        pg.drop_db(name)
