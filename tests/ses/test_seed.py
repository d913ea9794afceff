"""`bbase ses seed` at a small scale: every context filled, references resolve, figures agree."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources

import psycopg
import pytest
from psycopg import sql

from bbase.keys import load_keys
from bbase_workshop import seed as ses_seed
from tests.pg import PgServer
from tests.ses.conftest import TEST_KEYS

#: Small enough for a test (20 engineers, 10 customer contracts, two years), big
#: enough that every status and table appears.
TEST_SCALE = 0.02
TEST_YEARS = 2


def seeded_database(pg: PgServer, template_db: str, name: str) -> str:
    """A database cloned from the migrated template and seeded (committed)."""
    dsn = pg.dsn_for(pg.create_db(name, template=template_db))
    with psycopg.connect(dsn) as conn:
        ses_seed.seed(conn, scale=TEST_SCALE, years=TEST_YEARS, keys=TEST_KEYS)
    return dsn


@pytest.fixture(scope="module")
def seeded(pg: PgServer, template_db: str) -> Iterator[psycopg.Connection]:
    name = "ses_seed_test"
    dsn = seeded_database(pg, template_db, name)
    conn = psycopg.connect(dsn, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()
        pg.drop_db(name)


def test_seed_fills_every_table_of_every_context(seeded: psycopg.Connection) -> None:
    empty = [f"{s}.{t}" for s, t in ses_seed.ses_tables(seeded) if not seeded.execute(
        sql.SQL("SELECT EXISTS (SELECT FROM {}.{})").format(sql.Identifier(s), sql.Identifier(t))
    ).fetchone()[0]]
    assert {s for s, _ in ses_seed.ses_tables(seeded)} == set(ses_seed.CONTEXTS)
    assert empty == []


def test_every_declared_cross_context_reference_resolves(seeded: psycopg.Connection) -> None:
    refs = seeded.execute("SELECT count(*) FROM ses_common.cross_context_references").fetchone()[0]
    assert refs > 0
    assert ses_seed.verify_references(seeded) == {}


def insert_matching_request(db: psycopg.Connection, *, deleted: bool) -> None:
    """A matching request whose project_id names no project, written past the reference check."""
    db.execute("SET LOCAL session_replication_role = replica")  # triggers off: no per-row check
    db.execute(
        "INSERT INTO matching_context.matching_requests "
        "(project_id, customer_id, title, deleted_at) "
        "VALUES (gen_random_uuid(), gen_random_uuid(), 'dangling', %s)",
        (datetime.now(UTC) if deleted else None,))
    db.execute("SET LOCAL session_replication_role = origin")


def test_verify_references_reports_a_reference_to_a_missing_row(db: psycopg.Connection) -> None:
    insert_matching_request(db, deleted=False)
    rows = db.execute("SELECT * FROM ses_common.verify_references()").fetchall()
    assert rows == [("matching_context", "matching_requests", "project_id",
                     "project_context", "projects", 1)]
    assert ses_seed.verify_references(db) == {
        "matching_context.matching_requests.project_id -> project_context.projects": 1}


def test_verify_references_ignores_soft_deleted_source_rows(db: psycopg.Connection) -> None:
    insert_matching_request(db, deleted=True)
    assert ses_seed.verify_references(db) == {}


def test_the_admin_role_may_verify_references(db: psycopg.Connection) -> None:
    db.execute("SET LOCAL ROLE ses_admin_role")
    db.execute("SELECT ses_common.act_as(gen_random_uuid())")
    assert db.execute("SELECT count(*) FROM ses_common.verify_references()").fetchone() == (0,)


@pytest.mark.parametrize("role", ["bbase_readonly", "bbase_operator"])
def test_zengin_roles_may_not_verify_references(db: psycopg.Connection, role: str) -> None:
    """They read no SES table since migration 0180."""
    db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:  # SQLSTATE 42501
        db.execute("SELECT * FROM ses_common.verify_references()")
    assert exc.value.sqlstate == "42501"


def test_verify_references_is_not_granted_to_public(db: psycopg.Connection) -> None:
    db.execute("SET LOCAL ROLE ses_engineer_role")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # SQLSTATE 42501
        db.execute("SELECT * FROM ses_common.verify_references()")


def test_every_seed_sql_file_has_a_why_header_and_named_statements() -> None:
    files = sorted(f.name for f in resources.files(ses_seed.__name__).iterdir()
                   if f.name.endswith(".sql"))
    assert set(ses_seed.STEP_FILES) < set(files)
    for file in files:
        names = [name for name, _ in ses_seed.statements(file)]  # raises without a header
        assert names and len(names) == len(set(names)), file


def test_timesheets_belong_to_their_contracts_customer_and_engineer(
    seeded: psycopg.Connection,
) -> None:
    mismatched = seeded.execute("""
        SELECT count(*) FROM timesheet_context.timesheets t
        JOIN contract_context.contracts c ON c.id = t.contract_id
        WHERE c.contract_side <> 'CUSTOMER' OR c.engineer_id <> t.engineer_id
           OR c.customer_id <> t.customer_id OR c.project_id <> t.project_id
           OR make_date(t.period_year, t.period_month, 1)
              NOT BETWEEN date_trunc('month', c.start_date) AND c.end_date
    """).fetchone()[0]
    assert mismatched == 0


def test_timesheet_totals_are_the_sums_of_their_daily_attendance(
    seeded: psycopg.Connection,
) -> None:
    wrong = seeded.execute("""
        SELECT count(*) FROM timesheet_context.timesheets t
        LEFT JOIN LATERAL (
            SELECT coalesce(sum(d.work_minutes), 0) AS minutes,
                   count(*) FILTER (WHERE d.attendance_type = 'WORK') AS days
            FROM timesheet_context.daily_attendances d WHERE d.timesheet_id = t.id
        ) s ON true
        WHERE s.minutes <> t.total_work_minutes OR s.days <> t.working_days
           OR t.billable_hours <> round(s.minutes / 60.0, 2)
    """).fetchone()[0]
    assert wrong == 0


def test_an_engineers_contracts_on_one_side_never_overlap(seeded: psycopg.Connection) -> None:
    overlaps = seeded.execute("""
        SELECT count(*) FROM contract_context.contracts a
        JOIN contract_context.contracts b
          ON a.engineer_id = b.engineer_id AND a.contract_side = b.contract_side AND a.id < b.id
         AND daterange(a.start_date, a.end_date, '[]') && daterange(b.start_date, b.end_date, '[]')
    """).fetchone()[0]
    assert overlaps == 0


def test_invoices_are_billed_from_closed_timesheets_of_the_right_side(
    seeded: psycopg.Connection,
) -> None:
    wrong = seeded.execute("""
        SELECT count(*) FROM billing_context.invoice_billing_items li
        JOIN billing_context.invoices i ON i.id = li.invoice_id AND i.invoice_year = li.invoice_year
        JOIN contract_context.contracts c ON c.id = i.contract_id
        JOIN timesheet_context.timesheets t ON t.id = li.timesheet_id
        WHERE t.status <> 'CLOSED'
           OR (i.direction = 'RECEIVABLE') <> (c.contract_side = 'CUSTOMER')
           OR (i.direction = 'RECEIVABLE' AND t.contract_id <> c.id)
           OR (i.direction = 'PAYABLE' AND t.contract_id <> c.upstream_contract_id)
           OR (t.period_year, t.period_month) <> (i.invoice_year, i.invoice_month)
    """).fetchone()[0]
    assert wrong == 0


def test_invoice_amounts_add_up_with_tax_once_per_rate(seeded: psycopg.Connection) -> None:
    wrong = seeded.execute("""
        SELECT count(*) FROM billing_context.invoices i
        LEFT JOIN LATERAL (SELECT sum(amount) AS lines FROM billing_context.invoice_billing_items li
                           WHERE li.invoice_id = i.id) l ON true
        LEFT JOIN billing_context.invoice_tax_summaries ts ON ts.invoice_id = i.id
        WHERE l.lines <> i.subtotal_amount OR ts.taxable_amount <> i.subtotal_amount
           OR ts.tax_amount <> floor(i.subtotal_amount * ts.tax_rate)
           OR ts.tax_amount <> i.tax_amount
    """).fetchone()[0]
    assert wrong == 0


def test_every_journal_entry_balances(seeded: psycopg.Connection) -> None:
    unbalanced = seeded.execute("""
        SELECT count(*) FROM (
            SELECT e.id FROM billing_context.accounting_entries e
            JOIN billing_context.accounting_entry_lines l ON l.accounting_entry_id = e.id
            GROUP BY e.id
            HAVING sum(l.amount) FILTER (WHERE l.side = 'DEBIT')
                <> sum(l.amount) FILTER (WHERE l.side = 'CREDIT')
        ) x
    """).fetchone()[0]
    assert unbalanced == 0


def test_payee_accounts_use_real_zengin_codes_and_transfer_file_kana(
    seeded: psycopg.Connection,
) -> None:
    with seeded.transaction():
        load_keys(seeded, TEST_KEYS)
        rows = seeded.execute(
            "SELECT DISTINCT bank_code, branch_code,"
            " ses_common.decrypt_payee_account(account_holder_kana_encrypted) "
            "FROM billing_context.payee_accounts"
        ).fetchall()
    known = {(b[0], b[3]) for b in ses_seed.BANK_BRANCHES}
    assert rows and all((bank, branch) in known for bank, branch, _ in rows)
    assert all(ses_seed.zengin_kana(k) == k for _, _, k in rows)


def test_zengin_kana_splits_voiced_marks_and_enlarges_small_kana() -> None:
    assert ses_seed.zengin_kana("ジャズ") == "ｼﾞﾔｽﾞ"
    assert ses_seed.zengin_kana("ホールディングス") == "ﾎ-ﾙﾃﾞｲﾝｸﾞｽ"


def test_seed_leaves_every_constraint_and_trigger_as_it_found_them(
    seeded: psycopg.Connection, db: psycopg.Connection
) -> None:
    """The seed switches reference checks off and drops some foreign keys for the load."""
    catalog = r"""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = r.relnamespace
        WHERE n.nspname LIKE '%\_context' AND NOT r.relispartition AND c.conparentid = 0
        UNION ALL
        SELECT t.tgrelid::regclass::text, t.tgname, t.tgenabled::text
        FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = r.relnamespace
        WHERE n.nspname LIKE '%\_context' AND NOT r.relispartition AND NOT t.tgisinternal
        ORDER BY 1, 2, 3
    """
    assert seeded.execute(catalog).fetchall() == db.execute(catalog).fetchall()


def test_seed_refuses_to_overwrite_existing_data(seeded: psycopg.Connection) -> None:
    with pytest.raises(RuntimeError, match="already hold rows"):
        ses_seed.seed(seeded, scale=TEST_SCALE, years=TEST_YEARS, keys=TEST_KEYS)


def test_same_seed_and_scale_give_the_same_data(db: psycopg.Connection) -> None:
    def fingerprint() -> tuple:
        return db.execute("""
            SELECT (SELECT md5(string_agg(id::text || total_amount, ',' ORDER BY id))
                    FROM billing_context.invoices),
                   (SELECT md5(string_agg(id::text || total_work_minutes, ',' ORDER BY id))
                    FROM timesheet_context.timesheets)
        """).fetchone()

    ses_seed.seed(db, scale=0.02, years=1, keys=TEST_KEYS)
    first = fingerprint()
    ses_seed.seed(db, scale=0.02, years=1, replace=True, keys=TEST_KEYS)
    assert fingerprint() == first


def test_bbase_cli_offers_ses_seed_refresh_and_bench() -> None:
    from bbase.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["ses", "seed", "--scale", "0.5", "--replace"])
    assert (args.scale, args.replace, args.years) == (0.5, True, 5)
    assert parser.parse_args(["ses", "refresh"]).func.__name__ == "cmd_refresh"
    assert parser.parse_args(["bench", "ses", "--runs", "10"]).runs == 10
