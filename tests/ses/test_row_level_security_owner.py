"""Forced row-level security with a table owner that is not a superuser (as on Amazon RDS).

The database is migrated by its own non-superuser owner; an application login holds the SES
roles. The owner's plain session sees no row
of a forced table; the SECURITY DEFINER machinery (reference checks, soft delete, journal
balance, partitions, purge, archive, statistics refresh) still works for the SES roles, through
the owner's maintenance policy (ses_common.apply_maintenance_policies).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from bbase import migrate as mig
from tests.pg import PgServer
from tests.ses.conftest import SAMPLE_ROWS, add_master_branch, insert_samples

pytestmark = pytest.mark.commits


def _dsn_as(dsn: str, user: str, password: str) -> str:
    parts = urlsplit(dsn)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True)
class Logins:
    owner: str  # owns and migrated the database; no SES role
    app: str  # an application login granted ses_admin_role and bbase_operator


@pytest.fixture(scope="module")
def logins(pg: PgServer) -> Iterator[Logins]:
    """A database owned and migrated by a LOGIN role that is not a superuser, and a separate
    application login (the owner is no member of an SES role: an admin policy would let it
    read every row)."""
    owner, app = f"rls_owner_{os.getpid()}", f"rls_app_{os.getpid()}"
    passwords = {owner: secrets.token_hex(16), app: secrets.token_hex(16)}
    name = pg.create_db(f"rls_owner_db_{os.getpid()}")
    with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:
        for role, password in passwords.items():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)))
        conn.execute(sql.SQL("ALTER ROLE {} CREATEROLE").format(sql.Identifier(owner)))
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
            sql.Identifier(name), sql.Identifier(owner)))
    with psycopg.connect(pg.dsn_for(name), autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
    found = Logins(*(_dsn_as(pg.dsn_for(name), r, passwords[r]) for r in (owner, app)))
    try:
        mig.migrate(found.owner)
        with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:  # roles exist now
            conn.execute(sql.SQL("GRANT ses_admin_role, bbase_operator TO {}").format(
                sql.Identifier(app)))
        with psycopg.connect(found.owner, autocommit=True) as conn:
            assert conn.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                "WHERE rolname = current_user").fetchone()[0] is False
        yield found
    finally:
        pg.drop_db(name)
        with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:
            for role in (app, owner):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture(scope="module")
def seeded(logins: Logins) -> Logins:
    """One sample row per table, written by the application as ses_admin_role: every write
    passes the cross-context reference checks and the journal balance check as the owner."""
    with psycopg.connect(logins.owner) as conn:  # the master is the owner's (or a diff's)
        add_master_branch(conn, "0001", "001")
    with psycopg.connect(logins.app) as conn:
        conn.execute("SET ROLE ses_admin_role")
        insert_samples(conn)
        conn.execute("INSERT INTO billing_context.accounting_entry_lines (accounting_entry_id, "
                     "line_no, side, account_code, account_name, amount) SELECT id, 2, 'CREDIT', "
                     "'4110', '売上高', 660000 FROM billing_context.accounting_entries")
    return logins


def test_the_owner_sees_no_row_outside_maintenance(seeded: Logins) -> None:
    with psycopg.connect(seeded.owner) as conn:
        assert conn.execute("SELECT count(*) FROM project_context.projects").fetchone()[0] == 0
        conn.execute("SET LOCAL ses_common.maintenance = on")
        assert conn.execute("SELECT count(*) FROM project_context.projects").fetchone()[0] == 1


def test_the_owner_cannot_write_a_row_outside_maintenance(seeded: Logins) -> None:
    with psycopg.connect(seeded.owner) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
            conn.execute("INSERT INTO matching_context.scoring_criteria (factor, weight) "
                         "VALUES ('RATE', 10)")
        assert exc.value.sqlstate == "42501"


def test_every_sample_row_was_written_through_the_owners_checks(seeded: Logins) -> None:
    with psycopg.connect(seeded.app) as conn:
        conn.execute("SET ROLE ses_admin_role")
        counts = {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(*t.split(".")))).fetchone()[0] for t in SAMPLE_ROWS}
        assert conn.execute("SELECT count(*) FROM ses_common.verify_references()"
                            ).fetchone()[0] == 0
    assert {t for t, n in counts.items() if n < 1} == set()


def test_a_reference_to_a_missing_row_is_still_refused_as_the_owner(
    seeded: Logins,
) -> None:
    with psycopg.connect(seeded.app) as conn:
        conn.execute("SET ROLE ses_admin_role")
        with pytest.raises(psycopg.Error) as exc:
            conn.execute("UPDATE contract_context.contracts SET project_id = gen_random_uuid()")
        assert exc.value.sqlstate == "SE002"


def test_soft_delete_purge_archive_and_refresh_work_as_the_owner(seeded: Logins) -> None:
    with psycopg.connect(seeded.app) as conn:
        conn.execute("SET ROLE ses_admin_role")
        conn.execute("DELETE FROM engineer_context.certifications")
        assert conn.execute("SELECT count(*) FROM engineer_context.certifications "
                            "WHERE deleted_at IS NOT NULL").fetchone()[0] == 1
        purged = conn.execute("SELECT ses_common.purge_deleted("
                              "'engineer_context.certifications', now() + interval '1 second')"
                              ).fetchone()[0]
        assert purged == 1
        conn.execute("SET ROLE bbase_operator")  # the scheduled refresh
        refreshed = conn.execute("SELECT count(*) FROM report_context.refresh_stats()"
                                 ).fetchone()[0]
        assert refreshed == 2
        conn.execute("SET ROLE ses_admin_role")
        # The refresh read the engineers as the owner, in maintenance: it saw the sample one.
        assert conn.execute("SELECT total_engineers FROM report_context.integrated_dashboard_stats"
                            ).fetchone()[0] == 1
        conn.rollback()
        conn.execute("SET ROLE ses_admin_role")
        conn.execute("UPDATE notification_context.notifications SET status = 'SENT', "
                     "sent_at = created_at")
        result = conn.execute("SELECT archive_status, sum(archived_count) "
                              "FROM ses_common.archive_old_data(%s) GROUP BY 1",
                              (date(2026, 1, 1),)).fetchall()
        assert [(status, n > 0) for status, n in result] == [("SUCCESS", True)]


def test_a_partition_made_later_by_the_owner_is_protected_and_used(
    seeded: Logins,
) -> None:
    with psycopg.connect(seeded.app) as conn:
        conn.execute("SET ROLE ses_admin_role")
        made = [r[0] for r in conn.execute(
            "SELECT ses_common.create_partitions('notification_context.notifications', "
            "'2031-03-01', '2031-03-01')")]
        assert made == ["notification_context.notifications_2031_03"]
        forced, policies = conn.execute(
            "SELECT c.relforcerowsecurity, (SELECT count(*) FROM pg_policy p "
            "WHERE p.polrelid = c.oid) FROM pg_class c "
            "WHERE c.oid = 'notification_context.notifications_2031_03'::regclass").fetchone()
        assert (forced, policies) == (True, 1)
