"""ses_common.archive_old_data: moves old finished rows to ses_archive, loses nothing, reports.

Every test runs in a transaction on a seeded database and rolls it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from tests.pg import PgServer
from tests.ses.test_seed import seeded_database

#: group -> the tables archive_old_data reports for it (children first, root last)
GROUPS = {
    ("billing_context", "invoices"): [
        "invoice_billing_items", "invoice_tax_summaries", "invoice_payments",
        "accounting_entry_lines", "accounting_entries", "invoices"],
    ("timesheet_context", "timesheets"): [
        "daily_attendances", "timesheet_approval_steps", "timesheet_adjustments", "timesheets"],
    ("project_context", "projects"): [
        "project_milestones", "project_phases", "project_requirements", "projects"],
    ("notification_context", "notifications"): ["notification_deliveries", "notifications"],
}
ALL_TABLES = [(schema, t) for (schema, _), tables in GROUPS.items() for t in tables]


@pytest.fixture(scope="module")
def seeded_dsn(pg: PgServer, template_db: str) -> Iterator[str]:
    name = "ses_archive_test"
    # archiving moves finished rows older than the cutoff: two years of history
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


def _cutoff(conn: psycopg.Connection) -> dt.date:
    """Six months ago: old enough that every group has something to archive."""
    return conn.execute("SELECT (current_date - interval '6 months')::date").fetchone()[0]


def _snapshot(conn: psycopg.Connection) -> dict[tuple[str, str], dict[str, dict]]:
    out = {}
    for schema, table in ALL_TABLES:
        rows = conn.execute(sql.SQL("SELECT id::text, to_jsonb(t) FROM {}.{} AS t").format(
            sql.Identifier(schema), sql.Identifier(table))).fetchall()
        out[(schema, table)] = dict(rows)
    return out


def test_archive_reports_one_success_row_per_table(conn: psycopg.Connection) -> None:
    result = conn.execute(
        "SELECT context_name, table_name, archived_count, archive_status "
        "FROM ses_common.archive_old_data(%s)", (_cutoff(conn),)).fetchall()
    assert [(r[0], r[1]) for r in result] == ALL_TABLES
    assert {r[3] for r in result} == {"SUCCESS"}
    counts = {(r[0], r[1]): r[2] for r in result}
    for root in [("billing_context", "invoices"), ("timesheet_context", "timesheets"),
                 ("project_context", "projects"), ("notification_context", "notifications")]:
        assert counts[root] > 0, root


def test_archived_rows_leave_the_live_tables_and_arrive_intact(conn: psycopg.Connection) -> None:
    before = _snapshot(conn)
    result = conn.execute(
        "SELECT context_name, table_name, archived_count FROM ses_common.archive_old_data(%s)",
        (_cutoff(conn),)).fetchall()
    after = _snapshot(conn)
    for schema, table, count in result:
        gone = before[(schema, table)].keys() - after[(schema, table)].keys()
        assert not after[(schema, table)].keys() - before[(schema, table)].keys()
        archived = dict(conn.execute(
            "SELECT source_id::text, row_data FROM ses_archive.archived_rows "
            "WHERE source_schema = %s AND source_table = %s", (schema, table)).fetchall())
        assert len(gone) == count == len(archived), (schema, table)
        assert archived.keys() == gone, (schema, table)
        # Nothing lost: every archived row is exactly the row that left.
        assert all(archived[i] == before[(schema, table)][i] for i in gone), (schema, table)


def test_only_finished_rows_older_than_the_cutoff_are_archived(conn: psycopg.Connection) -> None:
    cutoff = _cutoff(conn)
    conn.execute("SELECT ses_common.archive_old_data(%s)", (cutoff,))
    wrong = conn.execute("""
        SELECT
          (SELECT count(*) FROM ses_archive.archived_rows
           WHERE source_table = 'invoices'
             AND (row_data ->> 'status' <> 'PAID' OR (row_data ->> 'issue_date')::date >= %(c)s)),
          (SELECT count(*) FROM ses_archive.archived_rows
           WHERE source_table = 'timesheets'
             AND (row_data ->> 'status' NOT IN ('APPROVED', 'CLOSED')
                  OR make_date((row_data ->> 'period_year')::int,
                               (row_data ->> 'period_month')::int, 1)
                     + interval '1 month' > %(c)s)),
          (SELECT count(*) FROM ses_archive.archived_rows
           WHERE source_table = 'notifications'
             AND (row_data ->> 'status' <> 'SENT'
                  OR (row_data ->> 'created_at')::timestamptz
                     >= %(c)s::timestamp AT TIME ZONE 'Asia/Tokyo'))
    """, {"c": cutoff}).fetchone()
    assert wrong == (0, 0, 0)
    left = conn.execute("""
        SELECT count(*) FROM billing_context.invoices
        WHERE status = 'PAID' AND issue_date < %s AND deleted_at IS NULL
    """, (cutoff,)).fetchone()[0]
    assert left == 0


def test_rows_a_live_row_of_another_context_references_stay(conn: psycopg.Connection) -> None:
    cutoff = _cutoff(conn)
    project_id = conn.execute("""
        UPDATE project_context.projects SET status = 'COMPLETED',
               start_date = %(c)s::date - 400, end_date = %(c)s::date - 100
        WHERE id = (SELECT project_id FROM contract_context.contracts
                    WHERE deleted_at IS NULL ORDER BY contract_number LIMIT 1)
        RETURNING id
    """, {"c": cutoff}).fetchone()[0]
    conn.execute("SELECT ses_common.archive_old_data(%s)", (cutoff,))
    assert conn.execute("SELECT count(*) FROM project_context.projects WHERE id = %s",
                        (project_id,)).fetchone()[0] == 1
    dangling = conn.execute("""
        SELECT count(*) FROM contract_context.contracts c
        WHERE NOT EXISTS (SELECT FROM project_context.projects p WHERE p.id = c.project_id)
    """).fetchone()[0]
    assert dangling == 0


def test_a_failing_group_reports_failed_and_archives_nothing_of_it(
    conn: psycopg.Connection,
) -> None:
    conn.execute("""
        CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'notifications are on legal hold' USING ERRCODE = 'P0001'; END $$;
        CREATE TRIGGER legal_hold BEFORE DELETE ON notification_context.notifications
        FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse();
    """)
    before = conn.execute("SELECT count(*) FROM notification_context.notifications").fetchone()[0]
    result = conn.execute(
        "SELECT context_name, table_name, archived_count, archive_status "
        "FROM ses_common.archive_old_data(%s)", (_cutoff(conn),)).fetchall()
    status = {(r[0], r[1]): (r[2], r[3]) for r in result}
    assert status[("notification_context", "notifications")][0] == 0
    assert status[("notification_context", "notifications")][1].startswith("FAILED: P0001")
    assert status[("billing_context", "invoices")][1] == "SUCCESS"
    assert conn.execute("SELECT count(*) FROM notification_context.notifications").fetchone()[0] \
        == before
    assert conn.execute("SELECT count(*) FROM ses_archive.archived_rows "
                        "WHERE source_schema = 'notification_context'").fetchone()[0] == 0


def test_archiving_twice_moves_nothing_more(conn: psycopg.Connection) -> None:
    cutoff = _cutoff(conn)
    conn.execute("SELECT ses_common.archive_old_data(%s)", (cutoff,))
    again = conn.execute("SELECT archived_count FROM ses_common.archive_old_data(%s)",
                         (cutoff,)).fetchall()
    assert {r[0] for r in again} == {0}


def test_an_archived_row_can_be_read_back_as_its_table_type(conn: psycopg.Connection) -> None:
    conn.execute("SELECT ses_common.archive_old_data(%s)", (_cutoff(conn),))
    row = conn.execute("""
        SELECT r.invoice_number, r.total_amount
        FROM ses_archive.archived_rows a,
             jsonb_populate_record(NULL::billing_context.invoices, a.row_data) r
        WHERE a.source_table = 'invoices' LIMIT 1
    """).fetchone()
    assert row is not None and row[1] > 0


@pytest.mark.parametrize("cutoff", [None, "2999-01-01"])
def test_archive_refuses_a_missing_or_future_cutoff(conn: psycopg.Connection, cutoff) -> None:
    with pytest.raises(psycopg.DatabaseError) as err:
        conn.execute("SELECT * FROM ses_common.archive_old_data(%s::date)", (cutoff,))
    assert err.value.sqlstate == "SE050"
