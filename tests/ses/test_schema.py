"""The SES schema as designed: the document's tables and indexes, the common columns and
indexes on every table, money as numeric, the document's statuses, the business rules the
columns carry (ses-domain-rules.md), roles and comments."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.ses.conftest import Sealed, qualified, ses_tables, value_params, value_sql

Samples = dict[str, dict[str, Any]]

DOCUMENT_TABLES = {
    "project_context": ["projects", "project_requirements", "project_phases", "project_milestones"],
    "engineer_context": ["engineers", "skill_assessments", "certifications",
                         "availability_periods"],
    "matching_context": ["matching_requests", "matching_candidates", "matching_results",
                         "scoring_criteria"],
    "contract_context": ["contracts", "contract_signatures", "contract_templates",
                         "contract_amendments"],
    "timesheet_context": ["timesheets", "daily_attendances", "timesheet_approval_steps",
                          "timesheet_adjustments"],
    "billing_context": ["invoices", "invoice_billing_items", "invoice_payments",
                        "accounting_entries"],
    "report_context": ["analytics_data", "kpi_definitions", "kpi_values", "dashboards",
                       "dashboard_widgets", "report_templates", "generated_reports"],
    "notification_context": ["notifications", "notification_templates", "notification_rules",
                             "notification_deliveries", "notification_channels",
                             "notification_subscriptions"],
}

#: (schema, index, table, fragment of the definition) for every index the document names.
DOCUMENT_INDEXES = [
    ("project_context", "idx_projects_status_priority", "projects",
     "(status, priority) WHERE (deleted_at IS NULL)"),
    ("project_context", "idx_projects_start_end_date", "projects",
     "(start_date, end_date) WHERE (deleted_at IS NULL)"),
    ("engineer_context", "idx_engineers_availability", "engineers",
     "(availability_status) WHERE (deleted_at IS NULL)"),
    ("engineer_context", "idx_skill_assessments_skill_level", "skill_assessments",
     "(skill_category, skill_level) WHERE (deleted_at IS NULL)"),
    ("matching_context", "idx_matching_status_score", "matching_results",
     "(status, matching_score DESC) WHERE (deleted_at IS NULL)"),
    ("contract_context", "idx_contracts_status_period", "contracts",
     "(status, start_date, end_date) WHERE (deleted_at IS NULL)"),
    ("timesheet_context", "idx_timesheets_period_status", "timesheets",
     "(period_year, period_month, status) WHERE (deleted_at IS NULL)"),
    ("billing_context", "idx_invoices_status_due_date", "invoices",
     "(status, due_date) WHERE (deleted_at IS NULL)"),
    ("report_context", "idx_analytics_category_date", "analytics_data",
     "(category, target_date) WHERE (deleted_at IS NULL)"),
    ("notification_context", "idx_notifications_status_priority", "notifications",
     "(status, priority_level DESC) WHERE (deleted_at IS NULL)"),
    ("project_context", "idx_projects_requirements_gin", "projects", "USING gin (requirements)"),
    ("engineer_context", "idx_engineers_skills_gin", "engineers", "USING gin (skills)"),
    ("matching_context", "idx_matching_criteria_gin", "matching_requests",
     "USING gin (required_skills)"),
    ("contract_context", "idx_contracts_terms_gin", "contracts", "USING gin (contract_terms)"),
    ("timesheet_context", "idx_timesheets_work_summary_gin", "timesheets",
     "USING gin (work_summary)"),
    ("billing_context", "idx_invoices_billing_details_gin", "invoices",
     "USING gin (billing_details)"),
    ("report_context", "idx_analytics_metrics_gin", "analytics_data", "USING gin (metrics)"),
    ("notification_context", "idx_notifications_recipients_gin", "notifications",
     "USING gin (recipient_users)"),
]

DOCUMENT_STATUSES = [
    ("project_context.projects", "status", {"ACTIVE", "COMPLETED", "CANCELLED"}),
    ("engineer_context.engineers", "availability_status", {"AVAILABLE"}),
    ("contract_context.contracts", "status", {"ACTIVE"}),
    ("billing_context.invoices", "status", {"PAID", "UNPAID"}),
    ("timesheet_context.timesheets", "status", {"APPROVED"}),
    ("notification_context.notifications", "status", {"SENT"}),
]


def test_every_table_the_document_lists_exists(db: psycopg.Connection) -> None:
    expected = {f"{s}.{t}" for s, ts in DOCUMENT_TABLES.items() for t in ts}
    assert len(expected) == 37
    assert expected - set(ses_tables(db)) == set()


def test_every_index_the_document_lists_exists(db: psycopg.Connection) -> None:
    missing = []
    for schema, index, table, fragment in DOCUMENT_INDEXES:
        row = db.execute("SELECT tablename, indexdef FROM pg_indexes "
                         "WHERE schemaname = %s AND indexname = %s", (schema, index)).fetchone()
        if row is None or row[0] != table or fragment not in row[1]:
            missing.append((index, row))
    assert missing == []


def test_every_table_has_the_common_partial_indexes(db: psycopg.Connection) -> None:
    missing = []
    for table in ses_tables(db):
        schema, name = table.split(".")
        defs = dict(db.execute("SELECT indexname, indexdef FROM pg_indexes "
                               "WHERE schemaname = %s AND tablename = %s", (schema, name)))
        for column, where in (("created_at", "WHERE (deleted_at IS NULL)"),
                              ("updated_at", "WHERE (deleted_at IS NULL)"),
                              ("deleted_at", "WHERE (deleted_at IS NOT NULL)")):
            index = f"idx_{name}_{column}"
            if where not in defs.get(index, ""):
                missing.append(index)
    assert missing == []


def test_every_uuid_reference_column_has_a_partial_index(db: psycopg.Connection) -> None:
    missing = db.execute(r"""
        SELECT c.oid::regclass::text || '.' || a.attname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND a.atttypid = 'uuid'::regtype AND a.attname LIKE '%\_id'
          AND NOT EXISTS (
              SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum)
    """).fetchall()
    assert missing == []


def test_every_table_has_the_common_columns(db: psycopg.Connection) -> None:
    wrong = []
    for table in ses_tables(db):
        cols = {r[0]: r[1:] for r in db.execute("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid
                 AND d.adnum = a.attnum
            WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
        """, (table,))}
        expected = {
            "id": ("uuid", True, "gen_random_uuid()"),
            "created_at": ("timestamp with time zone", True, "now()"),
            "updated_at": ("timestamp with time zone", True, "now()"),
            "deleted_at": ("timestamp with time zone", False, None),
            "version": ("integer", True, "1"),
        }
        for name, spec in expected.items():
            if cols.get(name) != spec:
                wrong.append((table, name, cols.get(name)))
    assert wrong == []


def test_no_ses_column_is_floating_point(db: psycopg.Connection) -> None:
    floats = db.execute(r"""
        SELECT c.oid::regclass::text || '.' || a.attname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p')
          AND a.atttypid IN ('real'::regtype, 'double precision'::regtype, 'money'::regtype)
    """).fetchall()
    assert floats == []


def test_money_columns_are_numeric(db: psycopg.Connection) -> None:
    wrong = db.execute(r"""
        SELECT c.oid::regclass::text || '.' || a.attname || ' ' || format_type(a.atttypid, NULL)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname LIKE '%\_context' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND (a.attname ~ '(amount|price|_rate)$' AND a.attname <> 'availability_rate')
          AND a.atttypid <> 'numeric'::regtype
    """).fetchall()
    assert wrong == []


@pytest.mark.parametrize(("table", "column", "values"), DOCUMENT_STATUSES)
def test_document_status_values_are_allowed(
    db: psycopg.Connection, table: str, column: str, values: set[str]
) -> None:
    checks = " ".join(r[0] for r in db.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'c'", (table,)))
    assert all(f"'{v}'" in checks for v in values)
    assert column in checks


def test_status_outside_the_allowed_values_is_refused(
    db: psycopg.Connection, samples: Samples
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute("UPDATE project_context.projects SET status = 'DONE' WHERE id = %s",
                   (samples["project_context.projects"]["id"],))


def test_owner_columns_for_row_level_security_exist(db: psycopg.Connection) -> None:
    wanted = {
        "project_context.projects": {"customer_id", "project_manager_id", "sales_manager_id"},
        "engineer_context.engineers": {"user_id", "sales_manager_id"},
        "contract_context.contracts": {"customer_id", "engineer_id", "project_manager_id",
                                       "sales_manager_id"},
        "timesheet_context.timesheets": {"engineer_id", "customer_id", "project_id"},
        "billing_context.invoices": {"customer_id", "sales_manager_id"},
        "notification_context.notifications": {"recipient_users"},
    }
    for table, columns in wanted.items():
        present = {r[0] for r in db.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            (table,))}
        assert columns <= present, table


def test_engineers_hold_no_attribute_matching_may_not_use(db: psycopg.Connection) -> None:
    forbidden = db.execute(r"""
        SELECT c.relname || '.' || a.attname
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace IN ('engineer_context'::regnamespace, 'matching_context'::regnamespace)
          AND a.attnum > 0
          AND a.attname ~ '(birth|age$|^age|gender|sex|nationality|religion|family|health)'
    """).fetchall()
    assert forbidden == []


def test_ses_roles_exist_and_cannot_log_in(db: psycopg.Connection) -> None:
    roles = dict(db.execute(
        "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'ses\\_%'"))
    assert roles == {r: False for r in ("ses_admin_role", "ses_project_manager_role",
                                        "ses_engineer_role", "ses_customer_role",
                                        "ses_finance_role")}


def test_every_ses_schema_has_a_comment(db: psycopg.Connection) -> None:
    bare = db.execute(r"""
        SELECT nspname FROM pg_namespace
        WHERE (nspname LIKE '%\_context' OR nspname = 'ses_common')
          AND obj_description(oid, 'pg_namespace') IS NULL
    """).fetchall()
    assert bare == []


# --- business rules carried by constraints (ses-domain-rules.md) -------------------------

def _update(db: psycopg.Connection, table: str, row: dict[str, Any], **values: Any) -> None:
    db.execute(sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
        qualified(table),
        sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(k), value_sql(v))
                           for k, v in values.items())),
        [*(p for v in values.values() for p in value_params(v)), row["id"]])


def test_settlement_range_lower_bound_may_not_exceed_upper(
    db: psycopg.Connection, samples: Samples
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "contract_context.contracts", samples["contract_context.contracts"],
                lower_hours=190, upper_hours=180)
    assert exc.value.diag.constraint_name == "contracts_settlement_range_ordered"


def test_settlement_defaults_are_140_to_180_hours_upper_lower_15_minutes(
    db: psycopg.Connection, samples: Samples
) -> None:
    c = samples["contract_context.contracts"]
    assert (c["lower_hours"], c["upper_hours"], c["settlement_method"], c["time_unit_minutes"],
            c["amount_rounding_mode"]) == (140, 180, "UPPER_LOWER", 15, "FLOOR")


def test_time_unit_must_be_1_15_30_or_60_minutes(db: psycopg.Connection, samples: Samples) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "contract_context.contracts", samples["contract_context.contracts"],
                time_unit_minutes=10)
    assert exc.value.diag.constraint_name == "contracts_time_unit_minutes_check"


def test_protected_partner_may_not_bear_the_transfer_fee(
    db: psycopg.Connection, samples: Samples
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "contract_context.contracts", samples["contract_context.contracts"],
                is_protected_subcontract=True, transfer_fee_bearer="PAYEE")
    assert exc.value.diag.constraint_name == "contracts_protected_partner_pays_fee"


def test_invoice_registration_number_is_t_and_13_digits(
    db: psycopg.Connection, samples: Samples
) -> None:
    inv = samples["billing_context.invoices"]
    _update(db, "billing_context.invoices", inv, issuer_registration_no="T1234567890123")
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "billing_context.invoices", inv, issuer_registration_no="1234567890123")
    assert exc.value.diag.constraint_name == "invoices_issuer_registration_no_check"


def test_invoice_cannot_be_issued_without_the_required_items(
    db: psycopg.Connection, samples: Samples
) -> None:
    inv = samples["billing_context.invoices"]
    with pytest.raises(psycopg.errors.CheckViolation) as exc, db.transaction():
        _update(db, "billing_context.invoices", inv, status="ISSUED")
    assert exc.value.diag.constraint_name == "invoices_issued_has_required_items"
    _update(db, "billing_context.invoices", inv, status="ISSUED", issuer_name="株式会社ビーベース",
            issuer_registration_no="T1234567890123", issue_date="2025-07-01",
            due_date="2025-07-31", service_period_start="2025-06-01",
            service_period_end="2025-06-30")


def test_protected_partner_is_paid_within_60_days_of_the_service(
    db: psycopg.Connection, samples: Samples
) -> None:
    inv = samples["billing_context.invoices"]
    base = dict(direction="PAYABLE", is_protected_subcontract=True,
                service_period_start="2025-06-01", service_period_end="2025-06-30",
                issue_date="2025-07-01")
    _update(db, "billing_context.invoices", inv, **base, due_date="2025-08-28")  # day 60
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "billing_context.invoices", inv, **base, due_date="2025-08-29")
    assert exc.value.diag.constraint_name == "invoices_protected_due_within_60_days"


def test_invoice_total_is_subtotal_plus_tax(db: psycopg.Connection, samples: Samples) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "billing_context.invoices", samples["billing_context.invoices"],
                total_amount=1)
    assert exc.value.diag.constraint_name == "invoices_total_is_subtotal_plus_tax"


def test_tax_summary_is_one_row_per_invoice_and_rate(
    db: psycopg.Connection, samples: Samples
) -> None:
    s = samples["billing_context.invoice_tax_summaries"]
    with pytest.raises(psycopg.errors.UniqueViolation):
        db.execute("INSERT INTO billing_context.invoice_tax_summaries (invoice_id, invoice_year, "
                   "tax_rate, taxable_amount, tax_amount) VALUES (%s, %s, 0.1, 315, 31)",
                   (s["invoice_id"], s["invoice_year"]))


def test_billing_items_carry_a_rate_but_no_tax_amount(db: psycopg.Connection) -> None:
    cols = {r[0] for r in db.execute(
        "SELECT attname FROM pg_attribute WHERE attnum > 0 "
        "AND attrelid = 'billing_context.invoice_billing_items'::regclass")}
    assert "tax_rate" in cols and not {c for c in cols if c.startswith("tax_amount")}


@pytest.mark.parametrize(("kana", "stored"), [("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"), ("ｷﾕｳﾖ(ｶ", "ｷﾕｳﾖ(ｶ"),
                                             ("ｷｭｳﾖ", "ｷﾕｳﾖ"), ("ヤマダ", "ﾔﾏﾀﾞ"),
                                             ("ｶ)ﾋﾞｰﾍﾞｰｽ", None)])
def test_payee_account_holder_uses_the_zengin_character_set(
    db: psycopg.Connection, samples: Samples, kana: str, stored: str | None
) -> None:
    # Normalised where that keeps the name (small and full-width kana), refused with
    # SE140 where it would not (the long vowel mark: banks differ on it).
    row = samples["billing_context.payee_accounts"]
    if stored is not None:
        _update(db, "billing_context.payee_accounts", row,
                account_holder_kana_encrypted=Sealed("payee_account", kana))
        assert db.execute("SELECT ses_common.decrypt_payee_account(account_holder_kana_encrypted)"
                          " FROM billing_context.payee_accounts WHERE id = %s",
                          (row["id"],)).fetchone()[0] == stored
    else:
        with pytest.raises(psycopg.Error) as exc:
            _update(db, "billing_context.payee_accounts", row,
                    account_holder_kana_encrypted=Sealed("payee_account", kana))
        assert exc.value.sqlstate == "SE140"


def test_payee_account_codes_are_zengin_shaped(db: psycopg.Connection, samples: Samples) -> None:
    row = samples["billing_context.payee_accounts"]
    refused = {}
    for name, bad in (("bank_code", dict(bank_code="001")),
                      ("branch_code", dict(branch_code="01A")),
                      ("account_number", dict(
                          account_number_encrypted=Sealed("payee_account", "123456"))),
                      ("account_type", dict(account_type=3))):
        with pytest.raises(psycopg.errors.CheckViolation) as exc, db.transaction():
            _update(db, "billing_context.payee_accounts", row, **bad)
        refused[name] = exc.value.diag.constraint_name
    assert refused == {"bank_code": "payee_accounts_bank_code_check",
                       "branch_code": "payee_accounts_branch_code_check",
                       "account_number": "payee_accounts_account_number_check",
                       "account_type": "payee_accounts_account_type_check"}


def test_partner_engineer_needs_a_partner_company(db: psycopg.Connection, samples: Samples) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "engineer_context.engineers", samples["engineer_context.engineers"],
                employment_type="PARTNER")
    assert exc.value.diag.constraint_name == "engineers_partner_has_company"


def test_attendance_date_must_lie_in_the_timesheet_period(
    db: psycopg.Connection, samples: Samples
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        _update(db, "timesheet_context.daily_attendances",
                samples["timesheet_context.daily_attendances"], work_date="2025-07-01")
    assert exc.value.diag.constraint_name == "daily_attendances_date_in_period"


def test_scoring_factors_exclude_protected_attributes(
    db: psycopg.Connection, samples: Samples
) -> None:
    for factor in ("AGE", "GENDER", "NATIONALITY", "BIRTHPLACE"):
        with pytest.raises(psycopg.errors.CheckViolation) as exc, db.transaction():
            db.execute("INSERT INTO matching_context.scoring_criteria (factor, weight) "
                       "VALUES (%s, 5)", (factor,))
        assert exc.value.diag.constraint_name == "scoring_criteria_factor_check", factor


def test_every_declared_reference_names_a_uuid_column_and_an_ses_table(
    db: psycopg.Connection,
) -> None:
    wrong = db.execute("""
        SELECT r.* FROM ses_common.cross_context_references r
        WHERE to_regclass(format('%I.%I', r.target_schema, r.target_table)) IS NULL
           OR NOT EXISTS (
               SELECT FROM pg_attribute a
               WHERE a.attrelid = to_regclass(format('%I.%I', r.source_schema, r.source_table))
                 AND a.attname = r.source_column AND a.atttypid = 'uuid'::regtype)
    """).fetchall()
    assert wrong == []
