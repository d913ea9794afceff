"""What must hold behind a transaction-mode PgBouncer (bbase_workshop.pooler, bbase.connection).

Clients log in as one application login (a NOINHERIT member of the SES roles, as an
application server would) through a real PgBouncer in ``pool_mode = transaction``, and
start every transaction with ``SET LOCAL ROLE`` and ``ses_common.act_as``. Two poolers:
one with ONE server connection per pool, so that two clients provably share it (their
``pg_backend_pid()`` is the same) and whatever one leaves on the session the other finds;
the session-wide one (``pooler`` in tests/conftest.py, two per pool) under which 200
clients read at once.

Each "it would leak" claim has its control: a session-level ``set_config`` and a session
advisory lock do carry over to the next client, and psycopg's default automatic prepared
statements do fail (``prepared statement "_pg3_0" already exists``: with one server
connection the second client's PREPARE meets the first client's, deterministically), so
the tests that show nothing leaks could see a leak.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from bbase import keys as ses_keys
from bbase import migrate as mig
from bbase.config import ConfigError, Settings
from bbase.connection import connect
from bbase.sync import run_sync
from tests.pg import PgServer, login_dsn, pooler_in_front
from tests.ses.conftest import TEST_KEYS, qualified
from tests.ses.rls_world import ADMIN, CUSTOMER, ENGINEER, FINANCE, PM, World, build_world
from tests.ses.test_row_level_security import READ, expected

pytestmark = pytest.mark.commits

APP_LOGIN = "bbase_test_ses_app"
#: 50 worlds of four users each: the 200 clients, every one a different user.
WORLDS = 50
CLIENT_ROLES = (PM, ENGINEER, CUSTOMER, FINANCE)
ROUNDS = 2


@pytest.fixture(scope="module")
def app_login(pg: PgServer, template_db: str) -> str:
    """The application's login: may SET ROLE to every SES role, has none of their rights
    itself (NOINHERIT), so a transaction without SET LOCAL ROLE sees nothing."""
    if pg.kind == "testcontainers":
        pytest.skip("the postgres:15 container asks host logins for a password (scram); the "
                    "pooler could pass only its admin user's on (PG_TEST_DSN or local binaries)")
    with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:
        if conn.execute("SELECT FROM pg_roles WHERE rolname = %s", (APP_LOGIN,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT IN ROLE {}").format(
                sql.Identifier(APP_LOGIN),
                sql.SQL(", ").join(map(sql.Identifier, (ADMIN, *CLIENT_ROLES)))))
    return APP_LOGIN


@pytest.fixture(scope="module")
def pooled_world(pg: PgServer, template_db: str) -> Iterator[tuple[str, World]]:
    """A database of its own holding 50 worlds of SES rows (tests/ses/rls_world.py), committed."""
    name = pg.create_db(template=template_db)
    with psycopg.connect(pg.dsn_for(name)) as conn:
        w = build_world(conn, worlds=WORLDS)
    try:
        yield name, w
    finally:
        pg.drop_db(name)


@pytest.fixture(scope="module")
def one_server(pg: PgServer) -> Iterator[Any]:
    """A pooler with ONE server connection per (database, user): clients share it."""
    with pooler_in_front(pg, pool_size=1) as running:
        yield running


def app_dsn(pooler: Any, dbname: str) -> str:
    return login_dsn(pooler.dsn_for(dbname), APP_LOGIN)


def begin_as(conn: psycopg.Connection, role: str, user: uuid.UUID | None) -> None:
    """What an application does first in every transaction."""
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    conn.execute("SELECT ses_common.act_as(%s)", (user,))


def ids(conn: psycopg.Connection, table: str) -> set[uuid.UUID]:
    return {r[0] for r in conn.execute(sql.SQL("SELECT id FROM {}").format(qualified(table)))}


def backend(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


@pytest.fixture
def two_clients(one_server: Any, pooled_world: tuple[str, World], app_login: str
                ) -> Iterator[tuple[psycopg.Connection, psycopg.Connection]]:
    """Two clients of the application login through the one-server pooler (transactions)."""
    dsn = app_dsn(one_server, pooled_world[0])
    a = connect(dsn, pool_mode="transaction")
    b = connect(dsn, pool_mode="transaction")
    try:
        yield a, b
    finally:
        a.close()
        b.close()


# --------------------------------------------------------------------------- one server
def test_the_acting_user_never_reaches_the_next_client_of_the_same_server_connection(
        two_clients: tuple[psycopg.Connection, psycopg.Connection],
        pooled_world: tuple[str, World]) -> None:
    a, b = two_clients
    w = pooled_world[1]
    table = "timesheet_context.timesheets"
    for _ in range(3):  # interleaved: a, b, a, b, …
        begin_as(a, ENGINEER, w.actors[0][ENGINEER])
        pid_a, seen_a = backend(a), ids(a, table)
        a.commit()

        b.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(ENGINEER)))
        pid_b = backend(b)
        inherited = b.execute("SELECT current_setting('app.current_user_id', true)").fetchone()[0]
        before_acting = ids(b, table)
        b.execute("SELECT ses_common.act_as(%s)", (w.actors[1][ENGINEER],))
        seen_b = ids(b, table)
        b.commit()

        assert pid_a == pid_b, "both clients ran on the one server connection"
        assert seen_a == expected(READ, ENGINEER, table, w, 0) != set()
        assert inherited in (None, ""), "the acting user of the previous client was inherited"
        assert before_acting == set()
        assert seen_b == expected(READ, ENGINEER, table, w, 1) != set()


def test_a_session_level_setting_does_reach_the_next_client_which_is_why_act_as_is_local(
        two_clients: tuple[psycopg.Connection, psycopg.Connection],
        pooled_world: tuple[str, World]) -> None:
    a, b = two_clients
    user = str(pooled_world[1].actors[0][ENGINEER])
    a.autocommit = b.autocommit = True
    try:
        a.execute("SELECT set_config('app.current_user_id', %s, false)", (user,))
        pid_a = backend(a)
        leaked = b.execute("SELECT current_setting('app.current_user_id', true)").fetchone()[0]
        assert backend(b) == pid_a
        assert leaked == user
    finally:
        b.execute("RESET app.current_user_id")


def test_a_session_advisory_lock_taken_through_the_pooler_does_not_keep_a_second_client_out(
        two_clients: tuple[psycopg.Connection, psycopg.Connection]) -> None:
    """Why the sync's run lock (a session advisory lock) needs a session of its own: through
    a transaction pooler the second run gets the lock too (same server session)."""
    a, b = two_clients
    a.autocommit = b.autocommit = True
    key = 912_834_455
    try:
        assert a.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]
        assert b.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]
        assert backend(a) == backend(b)
    finally:
        b.execute("SELECT pg_advisory_unlock_all()")


def test_personal_data_keys_are_gone_for_the_next_client_of_the_same_server_connection(
        two_clients: tuple[psycopg.Connection, psycopg.Connection]) -> None:
    a, b = two_clients
    read = ("SELECT ses_common.decrypt_payee_account(account_number_encrypted)"
            " FROM billing_context.payee_accounts ORDER BY id LIMIT 1")
    a.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(FINANCE)))
    ses_keys.load_keys(a, TEST_KEYS)
    clear = a.execute(read).fetchone()[0]
    pid_a = backend(a)
    a.commit()
    assert clear is not None and clear.isdigit()

    b.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(FINANCE)))
    assert backend(b) == pid_a
    with pytest.raises(psycopg.Error) as caught:
        b.execute(read)
    b.rollback()
    assert caught.value.sqlstate == "SE120", "no key is loaded in the next client's transaction"


def test_the_glue_connection_runs_one_query_many_times_across_clients_of_one_server(
        one_server: Any, pooled_world: tuple[str, World], app_login: str) -> None:
    dsn = app_dsn(one_server, pooled_world[0])
    with connect(dsn, pool_mode="transaction", autocommit=True) as a, \
            connect(dsn, pool_mode="transaction", autocommit=True) as b:
        assert a.prepare_threshold is None
        answers = [c.execute("SELECT %s::int + 1", (i,)).fetchone()[0]
                   for i in range(12) for c in (a, b)]
        assert backend(a) == backend(b)
    assert answers == [i + 1 for i in range(12) for _ in (a, b)]


def test_psycopgs_default_prepared_statements_fail_behind_a_transaction_pooler(
        one_server: Any, pooled_world: tuple[str, World], app_login: str) -> None:
    """The control of the test above: the setting is what makes it pass."""
    dsn = app_dsn(one_server, pooled_world[0])
    with psycopg.connect(dsn, autocommit=True) as a, psycopg.connect(dsn, autocommit=True) as b:
        try:
            for i in range(12):
                a.execute("SELECT %s::int + 1", (i,))
            with pytest.raises(psycopg.Error) as caught:
                for i in range(12):
                    b.execute("SELECT %s::int + 1", (i,))
            assert caught.value.sqlstate in ("42P05", "26000"), caught.value
        finally:
            with connect(dsn, pool_mode="transaction", autocommit=True) as clean:
                clean.execute("DEALLOCATE ALL")


def test_the_sync_and_migrations_refuse_a_transaction_pooled_dsn(
        one_server: Any, pooled_world: tuple[str, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    dsn = one_server.dsn_for(pooled_world[0])
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("DATABASE_POOL_MODE", "transaction")
    with pytest.raises(ConfigError, match="DATABASE_DIRECT_URL"):
        run_sync(dsn, Settings.from_env(), ddb=object(), s3=object())
    with pytest.raises(ConfigError, match="DATABASE_DIRECT_URL"):
        mig.migrate(dsn)
    with psycopg.connect(one_server.server_dsn_for(pooled_world[0])) as conn:
        runs = conn.execute("SELECT count(*) FROM zengin_sync.runs").fetchone()[0]
    assert runs == 0, "the refused sync began no run"


# --------------------------------------------------------------------------- 200 clients
def test_200_clients_through_the_pooler_under_row_level_security_never_see_another_users_rows(
        pooler: Any, pooled_world: tuple[str, World], app_login: str) -> None:
    name, w = pooled_world
    dsn = app_dsn(pooler, name)
    clients = [(k, role) for k in range(WORLDS) for role in CLIENT_ROLES]
    assert len(clients) == 200
    assert len({w.actors[k][role] for k, role in clients}) == 200, "200 different users"
    want = {(k, role, table): expected(READ, role, table, w, k)
            for k, role in clients for table in READ[role]}
    start = threading.Barrier(len(clients) + 1, timeout=120)
    wrong: list[str] = []

    def client(k: int, role: str) -> None:
        user = w.actors[k][role]
        try:
            with connect(dsn, pool_mode="transaction") as conn:
                start.wait()  # all 200 connected at once
                start.wait()  # … and counted; go
                for _ in range(ROUNDS):
                    begin_as(conn, role, user)
                    acting = conn.execute("SELECT ses_common.current_user_id()").fetchone()[0]
                    if acting != user:
                        wrong.append(f"{role} of world {k} acted as {acting}")
                    for table in READ[role]:
                        seen = ids(conn, table)
                        if seen != want[k, role, table]:
                            wrong.append(f"{role} of world {k} saw {len(seen)} rows of {table}, "
                                         f"its own are {len(want[k, role, table])}")
                    conn.commit()
        except BaseException as exc:  # reported by the test, not lost in the thread
            start.abort()
            wrong.append(f"{role} of world {k}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=c) for c in clients]
    for t in threads:
        t.start()
    pool = None
    try:
        start.wait()
        pool = [p for p in pooler.show("POOLS")
                if p["database"] == name and p["user"] == APP_LOGIN][0]
        start.wait()
    except threading.BrokenBarrierError:
        pass  # a client failed: it says why in ``wrong``
    finally:
        for t in threads:
            t.join(timeout=300)
    assert wrong == []
    assert pool is not None
    assert pool["cl_active"] + pool["cl_waiting"] == 200
    servers = sum(pool[f] for f in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))
    assert servers <= pooler.pool_size == 2, "200 clients shared two server connections"
