"""`bbase ses seed` at a small scale: every context filled, references resolve, figures agree,
and every row with a workflow got there through the workflow functions."""

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

#: Small enough for a test (20 engineers, 10 customer contracts, three months lived
#: through the workflow), big enough that every table appears.
TEST_SCALE = 0.02
TEST_MONTHS = 3


def seeded_database(pg: PgServer, template_db: str, name: str, bulk_history: int = 0) -> str:
    """A database cloned from the migrated template and seeded (committed); tests of old
    data (archive) ask for ``bulk_history`` years inserted finished before the lived months."""
    dsn = pg.dsn_for(pg.create_db(name, template=template_db))
    with psycopg.connect(dsn) as conn:
        ses_seed.seed(conn, scale=TEST_SCALE, months=TEST_MONTHS, bulk_history=bulk_history,
                      keys=TEST_KEYS)
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


def test_submitted_timesheet_totals_are_the_sums_of_their_daily_attendance(
    seeded: psycopg.Connection,
) -> None:
    """Submission computed them from the days the engineer entered (a DRAFT has none yet)."""
    checked, wrong = seeded.execute("""
        SELECT count(*), count(*) FILTER (
            WHERE s.minutes <> t.total_work_minutes OR s.days <> t.working_days
               OR t.billable_hours <> round(s.minutes / 60.0, 2))
        FROM timesheet_context.timesheets t
        LEFT JOIN LATERAL (
            SELECT coalesce(sum(d.work_minutes), 0) AS minutes,
                   count(*) FILTER (WHERE d.attendance_type = 'WORK') AS days
            FROM timesheet_context.daily_attendances d WHERE d.timesheet_id = t.id
        ) s ON true
        WHERE t.status <> 'DRAFT'
    """).fetchone()
    assert checked > 0
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
    checked, wrong = seeded.execute("""
        SELECT count(*), count(*) FILTER (
            WHERE t.status <> 'CLOSED'
               OR (i.direction = 'RECEIVABLE') <> (c.contract_side = 'CUSTOMER')
               OR (i.direction = 'RECEIVABLE' AND t.contract_id <> c.id)
               OR (i.direction = 'PAYABLE' AND t.contract_id <> c.upstream_contract_id)
               OR (t.period_year, t.period_month) <> (i.invoice_year, i.invoice_month))
        FROM billing_context.invoice_billing_items li
        JOIN billing_context.invoices i ON i.id = li.invoice_id AND i.invoice_year = li.invoice_year
        JOIN contract_context.contracts c ON c.id = i.contract_id
        JOIN timesheet_context.timesheets t
          ON t.id = coalesce(li.timesheet_id, (li.settlement_details ->> 'timesheetId')::uuid)
    """).fetchone()
    assert checked == seeded.execute(
        "SELECT count(*) FROM billing_context.invoice_billing_items").fetchone()[0] > 0
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
        ses_seed.seed(seeded, scale=TEST_SCALE, months=TEST_MONTHS, keys=TEST_KEYS)


def test_same_seed_and_scale_give_the_same_data(db: psycopg.Connection) -> None:
    """Compared by what the plan decides: the rows the workflow functions create (invoices,
    payments, journals, events, notifications) get random ids and the run's time stamps, so
    they are compared by number, amounts and statuses, not by id or time."""
    def fingerprint() -> tuple:
        return db.execute("""
            SELECT (SELECT md5(string_agg(invoice_number || total_amount || status || paid_amount,
                                          ',' ORDER BY invoice_number))
                    FROM billing_context.invoices),
                   (SELECT md5(string_agg(id::text || total_work_minutes || status, ','
                                          ORDER BY id))
                    FROM timesheet_context.timesheets),
                   (SELECT md5(string_agg(id::text || status, ',' ORDER BY id))
                    FROM contract_context.contracts),
                   (SELECT string_agg(event_type || '=' || n, ',' ORDER BY event_type)
                    FROM (SELECT event_type, count(*) AS n FROM ses_common.event_outbox
                          GROUP BY 1) AS e),
                   (SELECT count(*) FROM notification_context.notification_deliveries)
        """).fetchone()

    ses_seed.seed(db, scale=0.02, months=2, keys=TEST_KEYS)
    first = fingerprint()
    assert first[0] is not None
    ses_seed.seed(db, scale=0.02, months=2, replace=True, keys=TEST_KEYS)
    assert fingerprint() == first


def cycle_months(conn: psycopg.Connection) -> list[tuple[int, int]]:
    """The closed months the seed lived through (those with a timesheet past DRAFT)."""
    return [tuple(r) for r in conn.execute(
        "SELECT DISTINCT period_year, period_month FROM timesheet_context.timesheets"
        " WHERE status <> 'DRAFT' ORDER BY 1, 2").fetchall()]


def test_the_seed_lives_the_requested_months_and_leaves_the_current_one_in_draft(
    seeded: psycopg.Connection,
) -> None:
    today = seeded.execute("SELECT current_date").fetchone()[0]
    expected = []
    y, m = today.year, today.month
    for _ in range(TEST_MONTHS):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        expected.insert(0, (y, m))
    assert cycle_months(seeded) == expected
    assert seeded.execute(
        "SELECT DISTINCT status FROM timesheet_context.timesheets"
        " WHERE (period_year, period_month) = (%s, %s)", (today.year, today.month)
    ).fetchall() == [("DRAFT",)]


def test_closing_a_seeded_month_again_creates_nothing(seeded: psycopg.Connection) -> None:
    """The seeded invoices are what close_month computes: a second close finds nothing to do."""
    count = "SELECT count(*) FROM billing_context.invoices"
    before = seeded.execute(count).fetchone()[0]
    assert before > 0
    with seeded.transaction(force_rollback=True):
        for y, m in cycle_months(seeded):
            result = seeded.execute(
                "SELECT billing_context.close_month(%s, %s, %s, %s)",
                (y, m, ses_seed.OUR_COMPANY, ses_seed.OUR_REGISTRATION_NO)).fetchone()[0]
            assert (result["timesheetsClosed"], result["receivablesIssued"],
                    result["payablesRecorded"]) == (0, 0, 0), (y, m)
        assert seeded.execute(count).fetchone()[0] == before


def test_every_invoice_was_issued_by_close_month_for_a_closed_timesheet(
    seeded: psycopg.Connection,
) -> None:
    """Without --bulk-history no invoice is inserted finished."""
    rows = seeded.execute("""
        SELECT i.billing_details ->> 'closedBy', t.status, count(*)
        FROM billing_context.invoices i
        LEFT JOIN timesheet_context.timesheets t
          ON t.id = (i.billing_details ->> 'timesheetId')::uuid
        GROUP BY 1, 2
    """).fetchall()
    assert [(by, status) for by, status, _ in rows] == [("billing_context.close_month", "CLOSED")]
    closed = seeded.execute(
        "SELECT count(*) FROM timesheet_context.timesheets WHERE status = 'CLOSED'").fetchone()[0]
    receivables = seeded.execute(
        "SELECT count(*) FROM billing_context.invoices WHERE direction = 'RECEIVABLE'"
    ).fetchone()[0]
    assert receivables == closed


def test_every_invoice_has_its_event_and_a_balanced_journal_entry(
    seeded: psycopg.Connection,
) -> None:
    missing = seeded.execute("""
        SELECT i.invoice_number FROM billing_context.invoices i
        WHERE NOT EXISTS (
            SELECT FROM ses_common.event_outbox o
            WHERE o.aggregate_id = i.id AND o.event_type = CASE i.direction
                WHEN 'RECEIVABLE' THEN 'InvoiceIssued' ELSE 'PayableRecorded' END)
        OR NOT EXISTS (
            SELECT FROM billing_context.accounting_entries e
            WHERE e.invoice_id = i.id AND e.event_type = CASE i.direction
                WHEN 'RECEIVABLE' THEN 'INVOICE_ISSUED' ELSE 'PAYABLE_RECORDED' END
              AND (SELECT sum(l.amount) FILTER (WHERE l.side = 'DEBIT')
                        = sum(l.amount) FILTER (WHERE l.side = 'CREDIT')
                   FROM billing_context.accounting_entry_lines l
                   WHERE l.accounting_entry_id = e.id))
    """).fetchall()
    assert missing == []


def test_every_payment_has_its_event_and_a_balanced_journal_entry(
    seeded: psycopg.Connection,
) -> None:
    payments, missing = seeded.execute("""
        SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
            SELECT FROM ses_common.event_outbox o
            WHERE o.payload ->> 'paymentId' = p.id::text
              AND o.event_type IN ('PaymentReceived', 'PartnerPaid'))
        OR NOT EXISTS (
            SELECT FROM billing_context.accounting_entries e
            WHERE e.invoice_payment_id = p.id
              AND e.event_type IN ('PAYMENT_RECEIVED', 'PAYMENT_MADE')))
        FROM billing_context.invoice_payments p
    """).fetchone()
    assert payments > 0
    assert missing == 0


def test_open_invoices_past_their_due_date_are_overdue(seeded: psycopg.Connection) -> None:
    statuses = dict(seeded.execute("""
        SELECT status, count(*) FROM billing_context.invoices
        WHERE due_date < current_date AND status <> 'PAID' GROUP BY 1
    """).fetchall())
    assert set(statuses) == {"OVERDUE"}


def test_every_contract_in_force_was_signed_by_both_sides(seeded: psycopg.Connection) -> None:
    rows = seeded.execute("""
        SELECT c.status, count(*),
               count(*) FILTER (WHERE (SELECT count(DISTINCT s.signer_party)
                                       FROM contract_context.contract_signatures s
                                       WHERE s.contract_id = c.id AND s.status = 'SIGNED') = 2
                                 AND EXISTS (SELECT FROM ses_common.event_outbox o
                                             WHERE o.event_type = 'ContractSigned'
                                               AND o.aggregate_id = c.id))
        FROM contract_context.contracts c GROUP BY 1
    """).fetchall()
    in_force = {status: (n, signed) for status, n, signed in rows
                if status in ("ACTIVE", "COMPLETED", "TERMINATED")}
    assert in_force.get("ACTIVE", (0, 0))[0] > 0
    assert all(n == signed for n, signed in in_force.values()), rows
    assert {status for status, _, _ in rows} <= {
        "ACTIVE", "COMPLETED", "TERMINATED", "PENDING_SIGNATURE"}


def test_no_timesheet_is_approved_without_its_approval_steps(seeded: psycopg.Connection) -> None:
    """Submitted by the engineer, approved by the customer where the contract asks it, by the
    project manager after acknowledging any ALERT, closed by the monthly close."""
    checked, wrong = seeded.execute("""
        SELECT count(*), count(*) FILTER (WHERE NOT (
            s.actions @> ARRAY['SUBMIT', 'APPROVE']
            AND (c.client_approval_gate = 'NONE') = NOT (s.actions @> ARRAY['CLIENT_APPROVE'])
            AND (t.status <> 'CLOSED' OR s.actions @> ARRAY['CLOSE'])
            AND (NOT s.actions @> ARRAY['ALERT'] OR s.actions @> ARRAY['ACKNOWLEDGE'])
            AND s.submitter = t.engineer_id))
        FROM timesheet_context.timesheets t
        JOIN contract_context.contracts c ON c.id = t.contract_id
        CROSS JOIN LATERAL (
            SELECT array_agg(a.action) AS actions,
                   (array_agg(a.actor_id ORDER BY a.step_no DESC)
                        FILTER (WHERE a.action = 'SUBMIT'))[1] AS submitter
            FROM timesheet_context.timesheet_approval_steps a WHERE a.timesheet_id = t.id
        ) s
        WHERE t.status IN ('APPROVED', 'CLOSED')
    """).fetchone()
    assert checked > 0
    assert wrong == 0


def test_every_event_was_consumed_into_notifications_and_report_rows(
    seeded: psycopg.Connection,
) -> None:
    assert seeded.execute(
        "SELECT count(*) FROM ses_common.event_handlings WHERE status <> 'DONE'").fetchone() == (0,)
    notified, without = seeded.execute("""
        SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
            SELECT FROM notification_context.notifications n
            WHERE n.payload ->> 'event_id' = o.event_id::text))
        FROM ses_common.event_outbox o
        WHERE o.event_type IN ('ProjectOrdered', 'ContractSigned', 'TimesheetSubmitted',
                               'InvoiceIssued')
    """).fetchone()
    assert notified > 0
    assert without == 0
    assert seeded.execute("""
        SELECT count(*) FROM notification_context.notification_deliveries d
        JOIN notification_context.notifications n
          ON n.id = d.notification_id AND n.created_at = d.notification_created_at
        WHERE n.payload ? 'event_id'
    """).fetchone()[0] > 0
    assert seeded.execute(
        "SELECT count(*) FROM report_context.analytics_data WHERE metric_key LIKE 'event.%'"
    ).fetchone()[0] == seeded.execute("SELECT count(*) FROM ses_common.event_outbox").fetchone()[0]


def test_bulk_history_inserts_earlier_months_finished_before_the_lived_ones(
    db: psycopg.Connection,
) -> None:
    ses_seed.seed(db, scale=0.02, months=1, bulk_history=1, keys=TEST_KEYS)
    by = dict(db.execute("""
        SELECT (make_date(invoice_year, invoice_month, 1)
                    >= date_trunc('month', current_date) - interval '1 month'),
               array_agg(DISTINCT coalesce(billing_details ->> 'closedBy', 'inserted'))
        FROM billing_context.invoices GROUP BY 1
    """).fetchall())
    assert by == {False: ["inserted"], True: ["billing_context.close_month"]}


def test_bbase_cli_offers_ses_seed_refresh_and_bench() -> None:
    from bbase.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["ses", "seed", "--scale", "0.5", "--replace"])
    assert (args.scale, args.replace, args.months, args.bulk_history) == (0.5, True, 3, 0)
    args = parser.parse_args(["ses", "seed", "--months", "2", "--bulk-history", "5"])
    assert (args.months, args.bulk_history) == (2, 5)
    assert parser.parse_args(["ses", "refresh"]).func.__name__ == "cmd_refresh"
    assert parser.parse_args(["bench", "ses", "--runs", "10"]).runs == 10
