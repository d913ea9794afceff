"""The common SES machinery on every table: updated_at, version and optimistic locking,
soft delete and purge, cross-context reference checks.

Tables come from the catalog (every table of every *_context schema), so a table
added later is covered without touching this file; tests/ses/conftest.py must
then give it a sample row, which test_every_ses_table_has_a_sample_row enforces.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.ses.conftest import SAMPLE_ROWS, insert_row, qualified, ses_tables

COMMON_COLUMNS = ("id", "created_at", "updated_at", "deleted_at", "version")
COMMON_FUNCTIONS = ("tg_touch_updated_at", "tg_bump_version", "tg_soft_delete",
                    "tg_check_references", "tg_freeze_partition_key")

Samples = dict[str, dict[str, Any]]


def _trigger_functions(db: psycopg.Connection, table: str) -> dict[str, str]:
    return dict(db.execute(
        "SELECT t.tgname, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal", (table,)).fetchall())


def _referencing_tables(db: psycopg.Connection) -> set[str]:
    return {f"{s}.{t}" for s, t in db.execute(
        "SELECT DISTINCT source_schema, source_table FROM ses_common.cross_context_references")}


def test_every_ses_table_has_a_sample_row(db: psycopg.Connection) -> None:
    assert set(ses_tables(db)) == set(SAMPLE_ROWS)


def test_every_ses_table_carries_each_common_trigger(db: psycopg.Connection) -> None:
    referencing = _referencing_tables(db)
    problems = []
    for table in ses_tables(db):
        name = table.split(".")[1]
        found = _trigger_functions(db, table)
        expected = {
            f"tg_{name}__touch_updated_at": "tg_touch_updated_at",
            f"tg_{name}__bump_version": "tg_bump_version",
            f"tg_{name}__soft_delete": "tg_soft_delete",
        }
        if table in referencing:
            expected[f"tg_{name}__check_references"] = "tg_check_references"
            expected[f"tg_{name}__check_reference_changes"] = "tg_check_references"
        is_partitioned = db.execute(
            "SELECT relkind = 'p' FROM pg_class WHERE oid = %s::regclass", (table,)).fetchone()[0]
        if is_partitioned:
            expected[f"tg_{name}__freeze_partition_key"] = "tg_freeze_partition_key"
        # Table-specific triggers (e.g. the journal balance check) may come on top.
        common = {t: f for t, f in found.items() if f in COMMON_FUNCTIONS or t in expected}
        if common != expected:
            problems.append((table, common, expected))
    assert problems == []


def test_every_partitioned_table_has_a_rejecting_default_partition(db: psycopg.Connection) -> None:
    rows = db.execute("""
        SELECT pt.partrelid::regclass::text, pt.partdefid::regclass::text,
               (SELECT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = pt.partdefid AND t.tgname LIKE '%\\_\\_reject\\_row')
        FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE '%\\_context' ORDER BY 1
    """).fetchall()
    assert [r[0] for r in rows] == [
        "billing_context.invoices", "notification_context.notifications",
        "report_context.analytics_data", "timesheet_context.timesheets",
    ]
    assert all(r[1] == r[0] + "_default" and r[2] == "tg_reject_unpartitioned_row" for r in rows)


def test_attaching_common_triggers_again_changes_nothing(db: psycopg.Connection) -> None:
    assert db.execute("SELECT count(*) FROM ses_common.attach_common_triggers()").fetchone()[0] == 0


def test_attach_common_triggers_restores_a_dropped_trigger(db: psycopg.Connection) -> None:
    db.execute("DROP TRIGGER tg_projects__soft_delete ON project_context.projects")
    changed = [r[0] for r in db.execute(
        "SELECT ses_common.attach_common_triggers('project_context.projects')")]
    assert changed == ["tg_projects__soft_delete"]


def test_attach_common_triggers_drops_a_reference_check_no_longer_declared(
    db: psycopg.Connection,
) -> None:
    db.execute("DELETE FROM ses_common.cross_context_references "
               "WHERE source_schema = 'billing_context' AND source_table = 'payee_accounts'")
    changed = [r[0] for r in db.execute(
        "SELECT ses_common.attach_common_triggers('billing_context.payee_accounts')")]
    assert changed == ["dropped tg_payee_accounts__check_references",
                       "dropped tg_payee_accounts__check_reference_changes"]


def test_attach_common_triggers_turns_an_older_row_level_reference_check_per_statement(
    db: psycopg.Connection,
) -> None:
    """Upgrading a database whose reference checks were row triggers (before 0192): the
    trigger of the same name is replaced by the statement trigger, not left per row."""
    db.execute("DROP TRIGGER tg_payee_accounts__check_references ON billing_context.payee_accounts")
    db.execute("CREATE TRIGGER tg_payee_accounts__check_references AFTER INSERT"
               " ON billing_context.payee_accounts FOR EACH ROW"
               " EXECUTE FUNCTION ses_common.tg_check_references()")
    changed = [r[0] for r in db.execute(
        "SELECT ses_common.attach_common_triggers('billing_context.payee_accounts')")]
    per_row = db.execute(
        "SELECT (tgtype & 1) = 1 FROM pg_trigger WHERE tgrelid = 'billing_context.payee_accounts'"
        "::regclass AND tgname = 'tg_payee_accounts__check_references'").fetchone()[0]
    assert (changed, per_row) == (["tg_payee_accounts__check_references"], False)


def test_purging_a_context_table_without_a_deleted_at_column_is_se005(
    db: psycopg.Connection,
) -> None:
    db.execute("CREATE TABLE project_context.kept_for_good (id uuid PRIMARY KEY)")  # rolled back
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.purge_deleted('project_context.kept_for_good', now())")
    assert (exc.value.sqlstate, "p_table" in str(exc.value)) == ("SE005", True)


def test_attach_common_triggers_refuses_a_table_outside_the_contexts(
    db: psycopg.Connection,
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.attach_common_triggers('bbase.replaceable_objects')")
    assert exc.value.sqlstate == "SE005"


def test_update_sets_updated_at_to_transaction_time_on_every_table(
    db: psycopg.Connection, samples: Samples
) -> None:
    stale = []
    for table, row in samples.items():
        db.execute(sql.SQL("UPDATE {} SET updated_at = '2000-01-01' WHERE id = %s").format(
            qualified(table)), (row["id"],))
        fresh = db.execute(sql.SQL("SELECT updated_at = now() FROM {} WHERE id = %s").format(
            qualified(table)), (row["id"],)).fetchone()[0]
        if not fresh:
            stale.append(table)
    assert stale == []


def test_update_cannot_rewrite_created_at_on_every_table(
    db: psycopg.Connection, samples: Samples
) -> None:
    rewritten = []
    for table, row in samples.items():
        if table == "notification_context.notifications":
            continue  # created_at is its partition key: refused outright, see test_partitions
        db.execute(sql.SQL("UPDATE {} SET created_at = '2000-01-01' WHERE id = %s").format(
            qualified(table)), (row["id"],))
        kept = db.execute(sql.SQL("SELECT created_at = %s FROM {} WHERE id = %s").format(
            qualified(table)), (row["created_at"], row["id"])).fetchone()[0]
        if not kept:
            rewritten.append(table)
    assert rewritten == []


def test_update_increments_version_on_every_table(
    db: psycopg.Connection, samples: Samples
) -> None:
    versions = {}
    for table, row in samples.items():
        assert row["version"] == 1, table
        db.execute(sql.SQL("UPDATE {} SET updated_at = updated_at WHERE id = %s").format(
            qualified(table)), (row["id"],))
        db.execute(sql.SQL("UPDATE {} SET updated_at = updated_at WHERE id = %s").format(
            qualified(table)), (row["id"],))
        versions[table] = db.execute(sql.SQL("SELECT version FROM {} WHERE id = %s").format(
            qualified(table)), (row["id"],)).fetchone()[0]
    assert {t: v for t, v in versions.items() if v != 3} == {}


def test_update_naming_the_current_version_succeeds_and_bumps_it(
    db: psycopg.Connection, samples: Samples
) -> None:
    pid = samples["project_context.projects"]["id"]
    db.execute("UPDATE project_context.projects SET priority = 5, version = 1 WHERE id = %s",
               (pid,))
    assert db.execute("SELECT priority, version FROM project_context.projects WHERE id = %s",
                      (pid,)).fetchone() == (5, 2)


def test_update_naming_a_stale_version_fails_with_se001_on_every_table(
    db: psycopg.Connection, samples: Samples
) -> None:
    accepted = []
    for table, row in samples.items():
        db.execute(sql.SQL("UPDATE {} SET updated_at = updated_at WHERE id = %s").format(
            qualified(table)), (row["id"],))  # someone else moved the row to version 2
        try:
            with db.transaction():
                db.execute(sql.SQL("UPDATE {} SET version = 1 WHERE id = %s").format(
                    qualified(table)), (row["id"],))
            accepted.append(table)
        except psycopg.Error as exc:
            assert exc.sqlstate == "SE001", (table, exc)
            assert "stale version" in str(exc) and "version 1" in str(exc)
    assert accepted == []


@pytest.mark.commits
def test_concurrent_writer_with_stale_version_gets_se001(fresh_dsn: str) -> None:
    """Two sessions read version 1; the second to write loses with SE001."""
    with psycopg.connect(fresh_dsn, autocommit=True) as a, psycopg.connect(fresh_dsn) as b:
        pid = a.execute(
            "INSERT INTO project_context.projects (project_code, name, customer_id, customer_name) "
            "VALUES ('PRJ-CC', 'x', gen_random_uuid(), 'x') RETURNING id").fetchone()[0]
        read_version = b.execute("SELECT version FROM project_context.projects WHERE id = %s",
                                 (pid,)).fetchone()[0]
        a.execute("UPDATE project_context.projects SET name = 'a', version = %s WHERE id = %s",
                  (read_version, pid))
        with pytest.raises(psycopg.Error) as exc:
            b.execute("UPDATE project_context.projects SET name = 'b', version = %s WHERE id = %s",
                      (read_version, pid))
        assert exc.value.sqlstate == "SE001"
        b.rollback()
        assert a.execute("SELECT name, version FROM project_context.projects WHERE id = %s",
                         (pid,)).fetchone() == ("a", 2)


def test_delete_soft_deletes_on_every_table(db: psycopg.Connection, samples: Samples) -> None:
    wrong = []
    # Children first, so that no ON DELETE CASCADE is involved.
    for table, row in reversed(list(samples.items())):
        cur = db.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(qualified(table)),
                         (row["id"],))
        kept = db.execute(
            sql.SQL("SELECT deleted_at = now(), version FROM {} WHERE id = %s").format(
                qualified(table)), (row["id"],)).fetchone()
        if cur.rowcount != 0 or kept != (True, 2):
            wrong.append((table, cur.rowcount, kept))
    assert wrong == []


def test_deleting_a_soft_deleted_row_again_changes_nothing(
    db: psycopg.Connection, samples: Samples
) -> None:
    pid = samples["project_context.projects"]["id"]
    db.execute("DELETE FROM project_context.projects WHERE id = %s", (pid,))
    before = db.execute("SELECT deleted_at, version FROM project_context.projects WHERE id = %s",
                        (pid,)).fetchone()
    db.execute("DELETE FROM project_context.projects WHERE id = %s", (pid,))
    after = db.execute("SELECT deleted_at, version FROM project_context.projects WHERE id = %s",
                       (pid,)).fetchone()
    assert after == before


def test_soft_deleting_a_parent_keeps_its_children(
    db: psycopg.Connection, samples: Samples
) -> None:
    pid = samples["project_context.projects"]["id"]
    db.execute("DELETE FROM project_context.projects WHERE id = %s", (pid,))
    live_phases = db.execute(
        "SELECT count(*) FROM project_context.project_phases WHERE project_id = %s "
        "AND deleted_at IS NULL", (pid,)).fetchone()[0]
    assert live_phases == 1


def test_purge_deleted_removes_only_rows_soft_deleted_before_the_cutoff(
    db: psycopg.Connection, samples: Samples
) -> None:
    db.execute("INSERT INTO engineer_context.engineers (engineer_code, last_name_encrypted, "
               "first_name_encrypted, employment_type) VALUES ('ENG-002', "
               "ses_common.encrypt_personal_data('engineer_name', '鈴木'), "
               "ses_common.encrypt_personal_data('engineer_name', '一郎'), 'EMPLOYEE')")
    old = samples["engineer_context.certifications"]["id"]
    db.execute("DELETE FROM engineer_context.certifications WHERE id = %s", (old,))
    db.execute("UPDATE engineer_context.certifications SET deleted_at = now() - interval '2 years' "
               "WHERE id = %s", (old,))
    db.execute("DELETE FROM engineer_context.engineers WHERE engineer_code = 'ENG-002'")  # recent
    purge = "SELECT ses_common.purge_deleted(%s::regclass, now() - interval '1 year')"
    purged = db.execute(purge, ("engineer_context.certifications",)).fetchone()[0]
    purged_engineers = db.execute(purge, ("engineer_context.engineers",)).fetchone()[0]
    assert (purged, purged_engineers) == (1, 0)
    assert db.execute("SELECT count(*) FROM engineer_context.certifications WHERE id = %s",
                      (old,)).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM engineer_context.engineers "
                      "WHERE engineer_code = 'ENG-002'").fetchone()[0] == 1
    permits = db.execute("SELECT count(*) FROM ses_common.purge_permits").fetchone()[0]
    assert permits == 0, "the purge gives its permit back"


def test_purging_a_parent_removes_its_children_by_cascade(
    db: psycopg.Connection, samples: Samples
) -> None:
    pid = samples["project_context.projects"]["id"]
    db.execute("UPDATE project_context.projects SET deleted_at = now() - interval '2 years' "
               "WHERE id = %s", (pid,))
    # matching/contract rows refer to the project only by uuid: purge is a project_context affair.
    db.execute("SELECT ses_common.purge_deleted('project_context.projects', now())")
    left = db.execute(
        "SELECT (SELECT count(*) FROM project_context.project_phases WHERE project_id = %(p)s)"
        " + (SELECT count(*) FROM project_context.project_milestones WHERE project_id = %(p)s)"
        " + (SELECT count(*) FROM project_context.project_requirements WHERE project_id = %(p)s)",
        {"p": pid}).fetchone()[0]
    assert left == 0


def test_a_purge_permit_makes_delete_real(db: psycopg.Connection, samples: Samples) -> None:
    nid = samples["notification_context.notification_subscriptions"]["id"]
    db.execute("INSERT INTO ses_common.purge_permits DEFAULT VALUES")
    cur = db.execute("DELETE FROM notification_context.notification_subscriptions WHERE id = %s",
                     (nid,))
    assert cur.rowcount == 1


def test_no_setting_makes_a_delete_real_without_a_purge_permit(
    db: psycopg.Connection, samples: Samples
) -> None:
    """Any session may set a custom setting: the old ses_common.allow_purge opens nothing."""
    nid = samples["notification_context.notification_subscriptions"]["id"]
    db.execute("SET LOCAL ses_common.allow_purge = on")
    db.execute("DELETE FROM notification_context.notification_subscriptions WHERE id = %s", (nid,))
    kept = db.execute("SELECT deleted_at IS NOT NULL FROM"
                      " notification_context.notification_subscriptions WHERE id = %s",
                      (nid,)).fetchone()
    assert kept == (True,), "the row is soft-deleted, not removed"


@pytest.mark.parametrize("role", ["ses_admin_role", "ses_project_manager_role",
                                  "ses_engineer_role", "ses_customer_role", "ses_finance_role",
                                  "bbase_operator"])
def test_no_role_can_give_itself_a_purge_permit(db: psycopg.Connection, role: str) -> None:
    db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("INSERT INTO ses_common.purge_permits DEFAULT VALUES")


def test_operator_can_purge_and_reattach_triggers(db: psycopg.Connection, samples: Samples) -> None:
    cert = samples["engineer_context.certifications"]["id"]
    db.execute("DELETE FROM engineer_context.certifications WHERE id = %s", (cert,))
    db.execute("DROP TRIGGER tg_projects__bump_version ON project_context.projects")
    db.execute("SET LOCAL ROLE bbase_operator")
    purged = db.execute("SELECT ses_common.purge_deleted('engineer_context.certifications', "
                        "now() + interval '1 second')").fetchone()[0]
    reattached = [r[0] for r in db.execute("SELECT ses_common.attach_common_triggers()")]
    assert (purged, reattached) == (1, ["tg_projects__bump_version"])


def test_purge_deleted_refuses_a_table_outside_the_contexts(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.purge_deleted('bbase.replaceable_objects', now())")
    assert exc.value.sqlstate == "SE005"


# --- cross-context references ------------------------------------------------------------

def _references(db: psycopg.Connection) -> list[tuple[str, str, str, str, str]]:
    return db.execute(
        "SELECT source_schema || '.' || source_table, source_column, "
        "target_schema || '.' || target_table, target_label, source_schema "
        "FROM ses_common.cross_context_references ORDER BY 1, 2").fetchall()


def test_document_references_are_declared(db: psycopg.Connection) -> None:
    declared = {(s, c) for s, c, *_ in _references(db)}
    assert {
        ("contract_context.contracts", "project_id"),
        ("contract_context.contracts", "engineer_id"),
        ("timesheet_context.timesheets", "contract_id"),
        ("timesheet_context.timesheets", "engineer_id"),
        ("billing_context.invoices", "contract_id"),
        ("matching_context.matching_candidates", "engineer_id"),
        ("matching_context.matching_requests", "project_id"),
    } <= declared


def test_each_reference_to_a_missing_row_fails_with_se002(
    db: psycopg.Connection, samples: Samples
) -> None:
    """Every declared reference, on INSERT-like change of the column (an UPDATE to a new id)."""
    accepted = []
    for source, column, _target, label, _ in _references(db):
        missing = uuid.uuid4()
        try:
            with db.transaction():
                db.execute(sql.SQL("UPDATE {} SET {} = %s WHERE id = %s").format(
                    qualified(source), sql.Identifier(column)), (missing, samples[source]["id"]))
            accepted.append((source, column))
        except psycopg.Error as exc:
            assert exc.sqlstate == "SE002", (source, column, exc)
            assert exc.diag.message_primary == f"Referenced {label} does not exist: {missing}"
            assert exc.diag.column_name == column
    assert accepted == []


def test_each_reference_to_a_soft_deleted_row_fails_with_se002(
    db: psycopg.Connection, samples: Samples
) -> None:
    """Every declared reference, on INSERT: a copy of the sample row pointing at a
    soft-deleted target is refused."""
    accepted = []
    for source, column, target, label, _ in _references(db):
        try:
            with db.transaction():
                db.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(qualified(target)),
                           (samples[target]["id"],))
                _insert_copy(db, source, samples[source])
            accepted.append((source, column))
        except psycopg.Error as exc:
            assert exc.sqlstate == "SE002", (source, column, exc)
            assert exc.diag.message_primary == (
                f"Referenced {label} does not exist: {samples[target]['id']}")
    assert accepted == []


def _insert_copy(db: psycopg.Connection, table: str, row: dict[str, Any]) -> None:
    """Insert a copy of a sample row under a new id, after soft-deleting the original so that
    unique indexes on live rows do not clash."""
    db.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(qualified(table)), (row["id"],))
    generated = {r[0] for r in db.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND (attidentity = 'a' OR attgenerated <> '')",
        (table,))}
    values = {k: v for k, v in row.items() if k not in COMMON_COLUMNS and k not in generated}
    if table == "notification_context.notifications":
        values["created_at"] = row["created_at"]
    insert_row(db, table, values)


def test_contract_for_a_missing_project_is_refused(
    db: psycopg.Connection, samples: Samples
) -> None:
    """The design document's own example (validate_contract_project_reference)."""
    missing = uuid.uuid4()
    row = {k: v for k, v in samples["contract_context.contracts"].items()
           if k not in COMMON_COLUMNS}
    row.update(project_id=missing, contract_number="CT-0002")
    with pytest.raises(psycopg.Error) as exc:
        insert_row(db, "contract_context.contracts", row)
    assert exc.value.sqlstate == "SE002"
    assert exc.value.diag.message_primary == f"Referenced project does not exist: {missing}"


def test_editing_a_row_whose_reference_was_deleted_is_allowed(
    db: psycopg.Connection, samples: Samples
) -> None:
    """Only changed references are checked: a contract of a deleted project can still be closed."""
    db.execute("DELETE FROM project_context.projects WHERE id = %s",
               (samples["project_context.projects"]["id"],))
    cid = samples["contract_context.contracts"]["id"]
    db.execute("UPDATE contract_context.contracts SET status = 'CANCELLED' WHERE id = %s", (cid,))
    assert db.execute("SELECT status FROM contract_context.contracts WHERE id = %s",
                      (cid,)).fetchone()[0] == "CANCELLED"


def test_null_optional_reference_is_not_checked(db: psycopg.Connection, samples: Samples) -> None:
    cid = samples["contract_context.contracts"]["id"]
    db.execute("UPDATE contract_context.contracts SET matching_result_id = NULL WHERE id = %s",
               (cid,))


def test_validate_cross_context_reference_answers_true_false_and_null(
    db: psycopg.Connection, samples: Samples
) -> None:
    pid = samples["project_context.projects"]["id"]
    q = "SELECT ses_common.validate_cross_context_reference(%s, %s, %s)"
    assert db.execute(q, ("project_context", "projects", pid)).fetchone()[0] is True
    assert db.execute(q, ("project_context", "projects", uuid.uuid4())).fetchone()[0] is False
    assert db.execute(q, ("project_context", "no_such_table", pid)).fetchone()[0] is None
    assert db.execute(q, ("project_context", "projects", None)).fetchone()[0] is None
    db.execute("DELETE FROM project_context.projects WHERE id = %s", (pid,))
    assert db.execute(q, ("project_context", "projects", pid)).fetchone()[0] is False


def test_validate_cross_context_reference_refuses_schemas_outside_the_contexts(
    db: psycopg.Connection,
) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.validate_cross_context_reference('bbase', 'install_log', "
                   "gen_random_uuid())")
    assert exc.value.sqlstate == "SE005"


def test_project_manager_role_writes_through_the_machinery(
    db: psycopg.Connection, samples: Samples
) -> None:
    """Reference checks and soft delete work for a role without grants on other contexts."""
    row = {k: v for k, v in samples["contract_context.contracts"].items()
           if k not in COMMON_COLUMNS}
    row.update(contract_number="CT-PM-1", matching_result_id=None)
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    # The sample project's manager (row-level security: their projects only).
    db.execute("SELECT ses_common.act_as(%s)",
               (samples["project_context.projects"]["project_manager_id"],))
    inserted = insert_row(db, "contract_context.contracts", row)
    db.execute("UPDATE contract_context.contracts SET status = 'PENDING_SIGNATURE', version = 1 "
               "WHERE id = %s", (inserted["id"],))
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute("UPDATE contract_context.contracts SET engineer_id = gen_random_uuid() "
                   "WHERE id = %s", (inserted["id"],))
    assert exc.value.sqlstate == "SE002"
    db.execute("DELETE FROM project_context.project_milestones WHERE id = %s",
               (samples["project_context.project_milestones"]["id"],))
    assert db.execute("SELECT deleted_at IS NOT NULL FROM project_context.project_milestones "
                      "WHERE id = %s", (samples["project_context.project_milestones"]["id"],)
                      ).fetchone()[0]
