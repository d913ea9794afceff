"""SES rules that a mutation (bbase mutate, docs/testing.md) or the mutation review of
issue 13 broke without any test failing: one property per test, named after the rule.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.pg import PgServer
from tests.ses.test_seed import seeded_database

ENTRY = (
    "INSERT INTO billing_context.accounting_entries (entry_date, fiscal_year, event_type, "
    "description, status, posted_at) VALUES ('2025-06-30', 2025, 'MANUAL', 'test', 'POSTED', "
    "now()) RETURNING id"
)
LINE = (
    "INSERT INTO billing_context.accounting_entry_lines (accounting_entry_id, line_no, side, "
    "account_code, account_name, amount) VALUES (%s, %s, %s, 'x', 'x', %s) RETURNING id"
)


def _posted(conn: psycopg.Connection, lines: list[tuple[str, int]]) -> tuple[uuid.UUID, list]:
    entry = conn.execute(ENTRY).fetchone()[0]
    ids = [conn.execute(LINE, (entry, n, side, amount)).fetchone()[0]
           for n, (side, amount) in enumerate(lines, start=1)]
    return entry, ids


@pytest.mark.commits
def test_a_posted_entry_one_yen_out_of_balance_fails_at_commit_with_se006(
    fresh_dsn: str,
) -> None:
    """billing_context.assert_entry_balanced: debits equal credits to the yen."""
    with psycopg.connect(fresh_dsn) as conn:
        _posted(conn, [("DEBIT", 10000), ("CREDIT", 9999)])
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
    assert exc.value.sqlstate == "SE006"


@pytest.mark.commits
def test_a_soft_deleted_line_does_not_count_toward_the_balance(fresh_dsn: str) -> None:
    """billing_context.assert_entry_balanced sums live lines only."""
    with psycopg.connect(fresh_dsn) as conn:
        entry, (_, _, extra) = _posted(conn, [("DEBIT", 100), ("CREDIT", 100), ("CREDIT", 5)])
        conn.execute("DELETE FROM billing_context.accounting_entry_lines WHERE id = %s",
                     (extra,))
        conn.commit()
        live = conn.execute("SELECT count(*) FROM billing_context.accounting_entry_lines"
                            " WHERE accounting_entry_id = %s AND deleted_at IS NULL",
                            (entry,)).fetchone()[0]
    assert live == 2


@pytest.mark.commits
def test_hard_deleting_a_live_line_of_a_posted_entry_fails_at_commit_with_se006(
    fresh_dsn: str,
) -> None:
    """The balance trigger also fires on DELETE: a purge-mode delete (a purge permit, which
    makes the soft-delete trigger let the row go) cannot unbalance a posted entry."""
    with psycopg.connect(fresh_dsn) as conn:
        _, (_, credit) = _posted(conn, [("DEBIT", 100), ("CREDIT", 100)])
        conn.commit()
        conn.execute("INSERT INTO ses_common.purge_permits DEFAULT VALUES")
        conn.execute("DELETE FROM billing_context.accounting_entry_lines WHERE id = %s",
                     (credit,))
        with pytest.raises(psycopg.Error) as exc:
            conn.commit()
    assert exc.value.sqlstate == "SE006"


@pytest.mark.commits
def test_a_soft_deleted_entry_is_not_checked_for_balance(fresh_dsn: str) -> None:
    """billing_context.assert_entry_balanced passes a soft-deleted entry."""
    with psycopg.connect(fresh_dsn) as conn:
        entry, _ = _posted(conn, [("DEBIT", 100), ("CREDIT", 1)])
        conn.execute("DELETE FROM billing_context.accounting_entries WHERE id = %s", (entry,))
        conn.commit()
        deleted = conn.execute("SELECT deleted_at IS NOT NULL FROM"
                               " billing_context.accounting_entries WHERE id = %s",
                               (entry,)).fetchone()[0]
    assert deleted is True


# ------------------------------------------------------------------ archive


@pytest.fixture(scope="module")
def seeded_dsn(pg: PgServer, template_db: str) -> Iterator[str]:
    name = "ses_archive_survivors_test"
    # archiving moves finished rows older than a cutoff: two years of history
    dsn = seeded_database(pg, template_db, name, bulk_history=2)
    try:
        yield dsn
    finally:
        pg.drop_db(name)


@pytest.fixture
def conn(seeded_dsn: str) -> Iterator[psycopg.Connection]:
    c = psycopg.connect(seeded_dsn)
    try:
        yield c
    finally:
        c.rollback()
        c.close()


def _finished_project(conn: psycopg.Connection, code: str, end_date: dt.date) -> uuid.UUID:
    """A new COMPLETED project (a copy of a seeded one) that ended on end_date and was
    last updated now, referenced by nothing."""
    return conn.execute("""
        INSERT INTO project_context.projects
        SELECT (jsonb_populate_record(NULL::project_context.projects, to_jsonb(p)
                || jsonb_build_object('id', gen_random_uuid(), 'project_code', %(code)s::text,
                                      'status', 'COMPLETED', 'start_date', %(end)s::date - 400,
                                      'end_date', %(end)s::date, 'deleted_at', NULL,
                                      'version', 1))).*
        FROM project_context.projects AS p
        ORDER BY p.project_code LIMIT 1
        RETURNING id
    """, {"code": code, "end": end_date}).fetchone()[0]


def _live(conn: psycopg.Connection, project_id: uuid.UUID) -> bool:
    return conn.execute("SELECT count(*) = 1 FROM project_context.projects WHERE id = %s",
                        (project_id,)).fetchone()[0]


def _cutoff(conn: psycopg.Connection) -> dt.date:
    return conn.execute("SELECT (current_date - interval '6 months')::date").fetchone()[0]


def test_a_finished_project_is_archived_by_its_end_date_not_its_last_update(
    conn: psycopg.Connection,
) -> None:
    cutoff = _cutoff(conn)
    project = _finished_project(conn, "MUT-ENDED-EARLY", cutoff - dt.timedelta(days=1))
    conn.execute("SELECT ses_common.archive_old_data(%s)", (cutoff,))
    assert not _live(conn, project)


def test_a_finished_project_that_ends_on_the_cutoff_stays_live(conn: psycopg.Connection) -> None:
    cutoff = _cutoff(conn)
    project = _finished_project(conn, "MUT-ENDS-ON-CUTOFF", cutoff)
    conn.execute("SELECT ses_common.archive_old_data(%s)", (cutoff,))
    assert _live(conn, project)


def test_a_reference_within_one_context_is_refused_as_not_cross_context(
    db: psycopg.Connection,
) -> None:
    """ses_common.cross_context_references holds references between contexts only
    (cross_context_references_cross_context): inside a context a foreign key does the job."""
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        db.execute("INSERT INTO ses_common.cross_context_references (source_schema,"
                   " source_table, source_column, target_schema, target_table, target_label)"
                   " VALUES ('contract_context', 'contracts', 'template_id', 'contract_context',"
                   " 'contract_templates', 'contract template')")
    assert exc.value.diag.constraint_name == "cross_context_references_cross_context"
