"""Partitioning of timesheets, invoices, analytics_data and notifications: routing, pruning,
the rejecting default partition, the frozen partition key and partition maintenance."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from tests.ses.conftest import CUSTOMER, insert_samples

Samples = dict[str, dict[str, Any]]

PARTITIONED = {
    "timesheet_context.timesheets": ("YEAR_MONTH", ["period_year", "period_month"]),
    "billing_context.invoices": ("YEAR", ["invoice_year"]),
    "report_context.analytics_data": ("YEAR", ["target_year"]),
    "notification_context.notifications": ("TIMESTAMP_MONTH", ["created_at"]),
}


def _partition_of(db: psycopg.Connection, table: str, row_id: Any) -> str:
    return db.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s",
                      (row_id,)).fetchone()[0]


def _scanned_partitions(db: psycopg.Connection, query: str, params: tuple = ()) -> set[str]:
    plan = db.execute("EXPLAIN (FORMAT JSON) " + query, params).fetchone()[0]
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def _new_notification(db: psycopg.Connection, created_at: str) -> uuid.UUID:
    return db.execute(
        "INSERT INTO notification_context.notifications (created_at, notification_type, title, "
        "recipient_users) VALUES (%s, 'GENERIC', 't', '[]') RETURNING id", (created_at,)
    ).fetchone()[0]


def test_partitioned_tables_match_the_design(db: psycopg.Connection) -> None:
    rows = db.execute("""
        SELECT c.oid::regclass::text, pt.partstrat,
               array_agg(a.attname::text ORDER BY k.ord)
        FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
        CROSS JOIN LATERAL unnest(pt.partattrs::smallint[]) WITH ORDINALITY k (attnum, ord)
        JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum
        WHERE c.relnamespace::regnamespace::text LIKE '%%\\_context'
        GROUP BY 1, 2
    """).fetchall()
    assert {r[0]: (r[1], r[2]) for r in rows} == {t: ("r", k) for t, (_, k) in PARTITIONED.items()}
    plans = dict(db.execute("SELECT table_schema || '.' || table_name, key_kind "
                            "FROM ses_common.partitioned_tables").fetchall())
    assert plans == {t: kind for t, (kind, _) in PARTITIONED.items()}


def test_primary_key_of_each_partitioned_table_includes_its_partition_key(
    db: psycopg.Connection,
) -> None:
    for table, (_, keys) in PARTITIONED.items():
        pk = db.execute("""
            SELECT array_agg(a.attname::text ORDER BY a.attnum)
            FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = %s::regclass AND i.indisprimary
        """, (table,)).fetchone()[0]
        assert set(pk) == {"id", *keys}, table


def test_rows_land_in_their_period_partition(db: psycopg.Connection, samples: Samples) -> None:
    assert _partition_of(db, "timesheet_context.timesheets",
                         samples["timesheet_context.timesheets"]["id"]) \
        == "timesheet_context.timesheets_2025_06"
    assert _partition_of(db, "billing_context.invoices",
                         samples["billing_context.invoices"]["id"]) \
        == "billing_context.invoices_2025"
    assert _partition_of(db, "report_context.analytics_data",
                         samples["report_context.analytics_data"]["id"]) \
        == "report_context.analytics_data_2025"
    assert _partition_of(db, "notification_context.notifications",
                         samples["notification_context.notifications"]["id"]) \
        == "notification_context.notifications_2025_06"


def test_notification_months_are_tokyo_months(db: psycopg.Connection, samples: Samples) -> None:
    db.execute("SELECT ses_common.create_partitions('notification_context.notifications', "
               "'2025-07-01', '2025-07-01')")
    late_june = _new_notification(db, "2025-06-30 23:30+09")
    early_july = _new_notification(db, "2025-06-30 15:30+00")  # 2025-07-01 00:30 in Tokyo
    assert _partition_of(db, "notification_context.notifications", late_june) \
        == "notification_context.notifications_2025_06"
    assert _partition_of(db, "notification_context.notifications", early_july) \
        == "notification_context.notifications_2025_07"


def test_row_outside_every_partition_fails_with_se003(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute(
            "INSERT INTO report_context.analytics_data (target_year, target_date, category, "
            "metric_key, metrics) VALUES (2091, '2091-03-01', 'SALES', 'sales.count', '{}')")
    assert exc.value.sqlstate == "SE003"
    assert "report_context.analytics_data" in exc.value.diag.message_primary
    assert "target_year=2091" in exc.value.diag.message_primary
    assert "ses_common.create_partitions" in exc.value.diag.message_hint


OUT_OF_RANGE = {
    "timesheet_context.timesheets":
        "INSERT INTO timesheet_context.timesheets (period_year, period_month, contract_id, "
        "engineer_id, customer_id) VALUES (2091, 4, %(contract)s, %(engineer)s, %(customer)s)",
    "billing_context.invoices":
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number, "
        "customer_id, recipient_name) VALUES (2091, 4, 'INV-X', %(customer)s, 'x')",
    "report_context.analytics_data":
        "INSERT INTO report_context.analytics_data (target_year, target_date, category, "
        "metric_key, metrics) VALUES (2091, '2091-04-01', 'SALES', 'sales.count', '{}')",
    "notification_context.notifications":
        "INSERT INTO notification_context.notifications (created_at, notification_type, title, "
        "recipient_users) VALUES ('2091-04-01 09:00+09', 'GENERIC', 't', '[]')",
}


@pytest.mark.parametrize("table", sorted(OUT_OF_RANGE))
def test_each_partitioned_table_refuses_a_row_outside_its_partitions(
    db: psycopg.Connection, samples: Samples, table: str
) -> None:
    contract = samples["contract_context.contracts"]
    with pytest.raises(psycopg.Error) as exc:
        db.execute(OUT_OF_RANGE[table], {"contract": contract["id"],
                                         "engineer": contract["engineer_id"],
                                         "customer": CUSTOMER})
    assert exc.value.sqlstate == "SE003"
    assert exc.value.diag.message_primary.startswith(f"no partition of {table} holds the row")


def test_default_partitions_stay_empty(db: psycopg.Connection, samples: Samples) -> None:
    for table in PARTITIONED:
        assert db.execute(f"SELECT count(*) FROM {table}_default").fetchone()[0] == 0, table


def test_query_for_one_month_of_timesheets_scans_one_partition(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("SELECT ses_common.create_partitions('timesheet_context.timesheets', "
               "'2025-01-01', '2025-12-31')")
    scanned = _scanned_partitions(
        db, "SELECT * FROM timesheet_context.timesheets WHERE period_year = 2025 "
            "AND period_month = 6 AND status = 'APPROVED' AND deleted_at IS NULL")
    assert scanned == {"timesheets_2025_06"}


def test_query_with_parameters_prunes_at_execution(
    db: psycopg.Connection, samples: Samples
) -> None:
    """A prepared query for one month touches one partition (runtime pruning)."""
    db.execute("SELECT ses_common.create_partitions('timesheet_context.timesheets', "
               "'2025-01-01', '2025-12-31')")
    db.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    db.execute("PREPARE month_q (smallint, smallint) AS SELECT count(*) "
               "FROM timesheet_context.timesheets WHERE period_year = $1 AND period_month = $2")
    plan = db.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) "
                      "EXECUTE month_q(2025, 6)").fetchone()[0][0]["Plan"]
    text = str(plan)
    assert "Subplans Removed" in text
    assert "timesheets_2025_06" in text and "timesheets_2025_07" not in text
    db.execute("DEALLOCATE month_q")


def test_query_for_one_year_of_invoices_scans_one_partition(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("SELECT ses_common.create_partitions('billing_context.invoices', "
               "'2024-01-01', '2026-12-31')")
    scanned = _scanned_partitions(
        db, "SELECT * FROM billing_context.invoices WHERE invoice_year = 2025 "
            "AND status = 'UNPAID' AND deleted_at IS NULL ORDER BY due_date")
    assert scanned == {"invoices_2025"}


def test_query_for_one_year_of_analytics_scans_one_partition(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("SELECT ses_common.create_partitions('report_context.analytics_data', "
               "'2024-01-01', '2026-12-31')")
    scanned = _scanned_partitions(
        db, "SELECT * FROM report_context.analytics_data WHERE target_year = 2025 "
            "AND category = 'BILLING'")
    assert scanned == {"analytics_data_2025"}


def test_query_for_one_tokyo_month_of_notifications_scans_one_partition(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("SELECT ses_common.create_partitions('notification_context.notifications', "
               "'2025-05-01', '2025-07-31')")
    scanned = _scanned_partitions(
        db, "SELECT * FROM notification_context.notifications "
            "WHERE created_at >= '2025-06-01 00:00+09' AND created_at < '2025-07-01 00:00+09' "
            "AND status = 'PENDING' ORDER BY priority_level DESC")
    assert scanned == {"notifications_2025_06"}


def test_changing_a_partition_key_fails_with_se004(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("SELECT ses_common.create_partitions('timesheet_context.timesheets', "
               "'2025-07-01', '2025-07-01')")
    ts = samples["timesheet_context.timesheets"]["id"]
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE timesheet_context.timesheets SET period_month = 7 WHERE id = %s", (ts,))
    assert exc.value.sqlstate == "SE004"
    assert exc.value.diag.column_name == "period_month"


def test_changing_notification_created_at_fails_with_se004(
    db: psycopg.Connection, samples: Samples
) -> None:
    nid = samples["notification_context.notifications"]["id"]
    with pytest.raises(psycopg.Error) as exc:
        db.execute("UPDATE notification_context.notifications SET created_at = created_at "
                   "+ interval '1 minute' WHERE id = %s", (nid,))
    assert exc.value.sqlstate == "SE004"


def test_soft_delete_works_on_a_partition_row(db: psycopg.Connection, samples: Samples) -> None:
    inv = samples["billing_context.invoices"]["id"]
    db.execute("DELETE FROM billing_context.invoices WHERE id = %s", (inv,))
    assert db.execute("SELECT deleted_at IS NOT NULL FROM billing_context.invoices_2025 "
                      "WHERE id = %s", (inv,)).fetchone()[0]


def test_create_partitions_ahead_creates_the_coming_periods(db: psycopg.Connection) -> None:
    created = {r[0] for r in db.execute("SELECT ses_common.create_partitions_ahead('2093-02-15')")}
    assert created == {
        "timesheet_context.timesheets_2093_01", "timesheet_context.timesheets_2093_02",
        "timesheet_context.timesheets_2093_03", "timesheet_context.timesheets_2093_04",
        "timesheet_context.timesheets_2093_05",
        "notification_context.notifications_2093_01", "notification_context.notifications_2093_02",
        "notification_context.notifications_2093_03", "notification_context.notifications_2093_04",
        "notification_context.notifications_2093_05",
        "billing_context.invoices_2092", "billing_context.invoices_2093",
        "billing_context.invoices_2094",
        "report_context.analytics_data_2092", "report_context.analytics_data_2093",
        "report_context.analytics_data_2094",
    }


def test_create_partitions_ahead_is_idempotent(db: psycopg.Connection) -> None:
    db.execute("SELECT ses_common.create_partitions_ahead('2093-02-15')")
    again = db.execute("SELECT count(*) FROM ses_common.create_partitions_ahead('2093-02-15')")
    assert again.fetchone()[0] == 0


def test_bbase_migrate_left_partitions_around_today(db: psycopg.Connection) -> None:
    """The install ran create_partitions_ahead: the current Tokyo month exists everywhere."""
    missing = db.execute("""
        WITH today AS (SELECT now() AT TIME ZONE 'Asia/Tokyo' AS d)
        SELECT t FROM today, unnest(ARRAY[
            'timesheet_context.timesheets_' || to_char(d, 'YYYY_MM'),
            'notification_context.notifications_' || to_char(d, 'YYYY_MM'),
            'billing_context.invoices_' || to_char(d, 'YYYY'),
            'report_context.analytics_data_' || to_char(d, 'YYYY')
        ]) AS t WHERE to_regclass(t) IS NULL
    """).fetchall()
    assert missing == []


def test_new_partition_carries_the_common_triggers_and_indexes(db: psycopg.Connection) -> None:
    db.execute("SELECT ses_common.create_partitions('billing_context.invoices', "
               "'2094-01-01', '2094-01-01')")
    triggers = {r[0] for r in db.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'billing_context.invoices_2094'::regclass "
        "AND NOT tgisinternal")}
    # The row triggers are cloned onto the partition; the reference checks are statement
    # triggers of the partitioned table (see the two tests below).
    assert {"tg_invoices__touch_updated_at", "tg_invoices__bump_version",
            "tg_invoices__soft_delete", "tg_invoices__freeze_partition_key"} <= triggers
    gin = db.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'billing_context' "
                     "AND tablename = 'invoices_2094' AND indexdef LIKE '%%USING gin%%'")
    assert gin.fetchone()[0] == 1


def test_a_row_routed_to_a_new_partition_has_its_references_checked(
    db: psycopg.Connection,
) -> None:
    db.execute("SELECT ses_common.create_partitions('billing_context.invoices', "
               "'2094-01-01', '2094-01-01')")
    missing = uuid.uuid4()
    with pytest.raises(psycopg.Error) as exc:
        db.execute(
            "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
            " customer_id, contract_id, recipient_name) VALUES (2094, 1, 'INV-2094', %s, %s, 'x')",
            (CUSTOMER, missing))
    assert exc.value.sqlstate == "SE002"
    assert exc.value.diag.message_primary == f"Referenced contract does not exist: {missing}"


def test_no_role_has_privileges_on_a_partition(db: psycopg.Connection) -> None:
    """Writes reach partitions only through the partitioned table, whose statement triggers
    check the references: a partition grants nothing to anyone but its owner."""
    granted = db.execute("""
        SELECT c.oid::regclass::text, a.grantee::regrole::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(c.relacl) AS a
        WHERE n.nspname LIKE '%\\_context' AND c.relispartition AND a.grantee <> c.relowner
    """).fetchall()
    assert granted == []


def test_timesheet_rows_of_new_months_can_be_inserted_after_maintenance(
    db: psycopg.Connection,
) -> None:
    samples = insert_samples(db)
    contract = samples["contract_context.contracts"]
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        _insert_timesheet(db, contract, 2092, 11)
    assert exc.value.sqlstate == "SE003"
    db.execute("SELECT ses_common.create_partitions_ahead('2092-10-20')")
    ts = _insert_timesheet(db, contract, 2092, 11)
    assert _partition_of(db, "timesheet_context.timesheets", ts) \
        == "timesheet_context.timesheets_2092_11"


def _insert_timesheet(db: psycopg.Connection, contract: dict[str, Any], year: int,
                      month: int) -> uuid.UUID:
    return db.execute(
        "INSERT INTO timesheet_context.timesheets (period_year, period_month, contract_id, "
        "engineer_id, customer_id) VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (year, month, contract["id"], contract["engineer_id"], CUSTOMER)).fetchone()[0]


def test_create_partitions_refuses_an_unregistered_table(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.create_partitions('project_context.projects', "
                   "'2025-01-01', '2025-02-01')")
    assert exc.value.sqlstate == "SE005"


def test_create_partitions_refuses_a_reversed_range(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.create_partitions('billing_context.invoices', "
                   "'2025-02-01', '2025-01-01')")
    assert exc.value.sqlstate == "SE005"


@pytest.mark.parametrize("role", ["bbase_operator", "bbase_sync", "ses_admin_role"])
def test_maintenance_roles_can_create_partitions_ahead(db: psycopg.Connection, role: str) -> None:
    db.execute(f"SET LOCAL ROLE {role}")
    created = db.execute("SELECT count(*) FROM ses_common.create_partitions_ahead('2097-06-15')")
    assert created.fetchone()[0] == 16
