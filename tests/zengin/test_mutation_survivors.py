"""Rules that a mutation (bbase mutate, docs/testing.md) broke without any test failing:
one property per test, each named after the rule the surviving mutant broke.
"""

from __future__ import annotations

import copy
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.pg import as_login
from tests.zengin.helpers import (
    CONFIRMER,
    REVIEWER_LOGIN,
    SMALL_BANKS,
    SMALL_BRANCHES,
    approve_all,
    diff,
    execute,
    insert_diff,
    load_small_master,
    stage,
)

#: Source field -> master column.
FIELDS = {"name": "name", "kana": "kana", "hira": "hira", "roma": "roma"}
#: A new value per field that passes validation (kana: Zengin half-width rules).
NEW_VALUES = {"name": "新名称", "kana": "シンメイシヨウ", "hira": "しんめいしよう",
              "roma": "shinmei"}


def _changed_source(field: str, target: str) -> tuple[dict, dict]:
    banks, branches = copy.deepcopy(SMALL_BANKS), copy.deepcopy(SMALL_BRANCHES)
    record = banks["0001"] if target == "bank" else branches["0001"]["001"]
    record[field] = NEW_VALUES[field]
    if field == "kana":  # hira follows kana when the source has none: keep it as it was
        record["hira"] = "みずほ" if target == "bank" else "とうきよう"
    return banks, branches


@pytest.mark.parametrize("target", ["bank", "branch"])
@pytest.mark.parametrize("field", list(FIELDS))
def test_a_change_of_one_field_alone_is_an_update_diff(
    db: psycopg.Connection, tmp_path: Path, target: str, field: str
) -> None:
    """zengin.diff_snapshot compares every field of a record, hira and roma too."""
    load_small_master(db, tmp_path / "v1")
    snapshot_id = stage(db, tmp_path / "v2", *_changed_source(field, target))
    assert diff(db, snapshot_id, confirmed_by=CONFIRMER) == 1
    row = db.execute("SELECT diff_type, target FROM zengin.diffs WHERE status = 'pending'"
                     ).fetchone()
    assert row == ("update", target)


@pytest.mark.parametrize("target", ["bank", "branch"])
@pytest.mark.parametrize("field", list(FIELDS))
def test_a_live_change_of_a_compared_field_after_the_diff_is_a_conflict(
    db: psycopg.Connection, tmp_path: Path, target: str, field: str
) -> None:
    """An update diff records the row it saw; if that field changed since, executing
    it fails with ZG014 (zengin.find_diff_conflicts) instead of overwriting the newer value."""
    load_small_master(db, tmp_path / "v1")
    branches = copy.deepcopy(SMALL_BRANCHES)
    banks = copy.deepcopy(SMALL_BANKS)
    if target == "bank":
        banks["0005"]["name"] = "三菱ＵＦＪ銀行"
        where = "bank_code = '0005'"
    else:
        branches["0005"]["001"]["name"] = "本店営業部"
        where = "bank_code = '0005' AND branch_code = '001'"
    snapshot_id = stage(db, tmp_path / "v2", banks, branches)
    assert diff(db, snapshot_id, confirmed_by=CONFIRMER) == 1
    approve_all(db)
    value = {"name": "別名", "kana": "ベツメイ", "hira": "べつめい", "roma": "betsumei"}[field]
    table = "zengin.banks" if target == "bank" else "zengin.branches"
    db.execute(f"UPDATE {table} SET {FIELDS[field]} = %s WHERE {where}", (value,))  # literals
    [(_, status, _, _)] = execute(db)
    sqlstate = db.execute("SELECT execution_result->>'sqlstate' FROM zengin.diffs"
                          " WHERE status = 'failed'").fetchone()
    assert (status, sqlstate) == ("failed", ("ZG014",))


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_bank_update_records_the_old_value_and_names_the_changed_field(
    db: psycopg.Connection, tmp_path: Path, field: str
) -> None:
    """zengin.tg_banks__record_history: old and new value, and the field in changed_fields."""
    load_small_master(db, tmp_path / "v1")
    old = db.execute(f"SELECT {FIELDS[field]} FROM zengin.banks WHERE bank_code = '0001'"
                     ).fetchone()[0]  # FIELDS: literals
    db.execute(f"UPDATE zengin.banks SET {FIELDS[field]} = %s WHERE bank_code = '0001'",
               (NEW_VALUES[field],))
    row = db.execute("SELECT old_values ->> %s, new_values ->> %s, changed_fields"
                     " FROM zengin.change_history WHERE operation = 'UPDATE'"
                     " AND table_name = 'banks' AND bank_code = '0001'",
                     (field, field)).fetchall()
    assert row == [(old, NEW_VALUES[field], [field])]


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_branch_update_records_the_old_value_and_names_the_changed_field(
    db: psycopg.Connection, tmp_path: Path, field: str
) -> None:
    """zengin.tg_branches__record_history: old and new value, the field in changed_fields."""
    load_small_master(db, tmp_path / "v1")
    where = "bank_code = '0001' AND branch_code = '001'"
    old = db.execute(f"SELECT {FIELDS[field]} FROM zengin.branches WHERE {where}").fetchone()[0]
    db.execute(f"UPDATE zengin.branches SET {FIELDS[field]} = %s WHERE {where}",
               (NEW_VALUES[field],))
    row = db.execute("SELECT old_values ->> %s, new_values ->> %s, changed_fields"
                     " FROM zengin.change_history WHERE operation = 'UPDATE'"
                     " AND table_name = 'branches' AND record_key = '0001-001'",
                     (field, field)).fetchall()
    assert row == [(old, NEW_VALUES[field], [field])]


@pytest.mark.parametrize("approver", [None, "", "  "])
def test_a_rejection_without_a_named_reviewer_is_refused_with_zg012(
    db: psycopg.Connection, approver: str | None
) -> None:
    """zengin.reject_diff (through zengin.require_identity) needs a reviewer's name."""
    diff_id = insert_diff(db)
    with pytest.raises(psycopg.Error) as exc, as_login(db, REVIEWER_LOGIN):
        db.execute("SELECT zengin.reject_diff(%s, %s, 'wrong source')", (diff_id, approver))
    assert exc.value.sqlstate == "ZG012"


#: Per CHECK constraint of the master: the table, a row breaking exactly that constraint.
MASTER_CHECKS = {
    "banks_bank_code_format": ("banks", {"bank_code": "99", "name": "試験", "kana": "シケン"}),
    "banks_name_not_blank": ("banks", {"bank_code": "0999", "name": " ", "kana": "シケン"}),
    "banks_kana_katakana": ("banks", {"bank_code": "0999", "name": "試験", "kana": "shiken"}),
    "branches_branch_code_format": ("branches", {"bank_code": "0001", "branch_code": "9",
                                                 "name": "試験", "kana": "シケン"}),
    "branches_name_not_blank": ("branches", {"bank_code": "0001", "branch_code": "999",
                                             "name": " ", "kana": "シケン"}),
    "branches_kana_katakana": ("branches", {"bank_code": "0001", "branch_code": "999",
                                            "name": "試験", "kana": "shiken"}),
}


@pytest.mark.parametrize("constraint", sorted(MASTER_CHECKS))
def test_the_master_check_behind_the_validation_trigger_refuses_a_bad_row(
    db: psycopg.Connection, tmp_path: Path, constraint: str
) -> None:
    """With the validation trigger out of the way (as a DBA's bulk load might have it),
    the migration's CHECK constraint still refuses the row, and names itself."""
    table, row = MASTER_CHECKS[constraint]
    load_small_master(db, tmp_path / "v1")
    db.execute(f"ALTER TABLE zengin.{table} DISABLE TRIGGER tg_{table}__validate_insert")
    columns = ", ".join(row)
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        db.execute(f"INSERT INTO zengin.{table} ({columns}) VALUES"  # names: literals above
                   f" ({', '.join(['%s'] * len(row))})", tuple(row.values()))
    assert exc.value.diag.constraint_name == constraint


def _insert_diff(db: psycopg.Connection, items: list[dict]) -> str:
    """A diff of the given items (target, diff_type, bank_code, branch_code, zengin_data,
    current_data), created by the sync."""
    [diff_id] = [r[0] for r in db.execute("SELECT zengin.next_diff_ids(1)")]
    kinds = {(i["diff_type"], i["target"]) for i in items}
    diff_type, target = next(iter(kinds)) if len(kinds) == 1 else ("bulk_update", None)
    db.execute("INSERT INTO zengin.diffs (id, diff_type, target, zengin_data, created_by)"
               " VALUES (%s, %s, %s, '{}', 'sync')", (diff_id, diff_type, target))
    for no, i in enumerate(items, 1):
        db.execute("INSERT INTO zengin.diff_items (diff_id, item_no, diff_type, target,"
                   " bank_code, branch_code, zengin_data, current_data)"
                   " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                   (diff_id, no, i["diff_type"], i["target"], i["bank_code"],
                    i.get("branch_code"), Jsonb(i.get("zengin_data", {})),
                    Jsonb(i["current_data"]) if "current_data" in i else None))
    return diff_id


def test_a_diff_failing_on_a_foreign_key_is_retried_after_the_diffs_behind_it(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    """zengin.execute_approved_diffs: a diff adding bank 0777 and deleting bank 0005 runs
    first (bank additions first)
    and fails on the foreign key of 0005's branch; the branch deletion queued behind
    it runs, and the retry then completes the first diff."""
    load_small_master(db, tmp_path / "v1")
    mixed = _insert_diff(db, [
        {"diff_type": "addition", "target": "bank", "bank_code": "0777",
         "zengin_data": {"bankCode": "0777", "bankName": "試験", "bankKana": "シケン"}},
        {"diff_type": "deletion", "target": "bank", "bank_code": "0005",
         "current_data": {"bankCode": "0005", "bankName": "三菱ＵＦＪ",
                          "bankKana": "ミツビシユ－エフジエイ"}},
    ])
    branch = _insert_diff(db, [
        {"diff_type": "deletion", "target": "branch", "bank_code": "0005",
         "branch_code": "001", "current_data": {"branchName": "本店", "branchKana": "ホンテン"}},
    ])
    approve_all(db)
    assert dict((r[0], r[1]) for r in execute(db)) == {mixed: "completed",
                                                        branch: "completed"}


def test_maintenance_counts_the_diffs_it_expires(db: psycopg.Connection) -> None:
    """zengin.run_maintenance reports what zengin.expire_stale_diffs expired."""
    stale, fresh = insert_diff(db, ttl_days=-1), insert_diff(db, ttl_days=30)
    summary = db.execute("SELECT zengin.run_maintenance()").fetchone()[0]
    statuses = dict(db.execute("SELECT id, status FROM zengin.diffs WHERE id IN (%s, %s)",
                               (stale, fresh)).fetchall())
    assert (summary["diffsExpired"], statuses) == (1, {stale: "expired", fresh: "pending"})


def test_rejecting_an_unknown_diff_is_refused_with_zg010(db: psycopg.Connection) -> None:
    """zengin.reject_diff names the missing diff."""
    with pytest.raises(psycopg.Error) as exc, as_login(db, REVIEWER_LOGIN):
        db.execute("SELECT zengin.reject_diff('diff-20990101-999', 'bob@example.com', 'no')")
    assert exc.value.sqlstate == "ZG010"


def test_rejecting_a_rejected_diff_again_in_the_same_words_is_refused_with_zg011(
    db: psycopg.Connection,
) -> None:
    """A second identical rejection changes no column, so only reject_diff itself can
    refuse it: a decision is final, not silently repeated."""
    diff_id = insert_diff(db)
    with as_login(db, REVIEWER_LOGIN):
        db.execute("SELECT zengin.reject_diff(%s, 'bob@example.com', 'wrong source')",
                   (diff_id,))
    with pytest.raises(psycopg.Error) as exc, as_login(db, REVIEWER_LOGIN):
        db.execute("SELECT zengin.reject_diff(%s, 'bob@example.com', 'wrong source')",
                   (diff_id,))
    assert (exc.value.sqlstate, "cannot be rejected" in exc.value.diag.message_primary) == (
        "ZG011", True)


def test_a_rejected_diff_past_its_ttl_expires(db: psycopg.Connection) -> None:
    """zengin.expire_stale_diffs expires every status diff_transitions lets expire,
    rejected as well as pending."""
    stale = insert_diff(db, "rejected", ttl_days=-1)
    db.execute("SELECT zengin.expire_stale_diffs()")
    status = db.execute("SELECT status FROM zengin.diffs WHERE id = %s", (stale,)).fetchone()[0]
    assert status == "expired"


#: Content columns of zengin.diffs, each with a new value of its type.
CONTENT = {
    "timestamp": "timestamp + interval '1 second'",
    "diff_type": "'deletion'",
    "target": "'branch'",
    "zengin_data": "'{\"x\": 1}'",
    "current_data": "'{\"x\": 1}'",
    "changes": "'{\"x\": 1}'",
    "created_by": "'mallory@example.com'",
    "created_session_user": "'mallory'",
    "snapshot_id": "coalesce(snapshot_id, 0) + 1",
    "ttl": "ttl + 1",
    "metadata": "'{\"x\": 1}'",
    "data_summary": "'{\"x\": 1}'",
}


@pytest.mark.parametrize("column", sorted(CONTENT))
def test_each_content_column_of_a_diff_is_immutable_with_zg016(
    db: psycopg.Connection, column: str
) -> None:
    """zengin.tg_diffs__enforce_transition refuses an edit of any content column."""
    diff_id = insert_diff(db)
    # The BEFORE UPDATE trigger refuses before any foreign key (snapshot_id) is checked.
    with pytest.raises(psycopg.Error) as exc, as_login(db, "bbase_test_dba"):
        db.execute(f"UPDATE zengin.diffs SET {column} = {CONTENT[column]}"  # literals above
                   " WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG016"


@pytest.mark.parametrize(("column", "value"), [("data_location", "'s3://b/other'"),
                                               ("data_size", "data_size + 1")])
def test_where_a_diff_body_went_is_recorded_once_then_immutable_with_zg016(
    db: psycopg.Connection, column: str, value: str
) -> None:
    """zengin.tg_diffs__enforce_transition: data_location and data_size are written once,
    while the diff is pending and both are empty; never changed after."""
    diff_id = insert_diff(db)
    with as_login(db, "bbase_test_dba"):
        db.execute("UPDATE zengin.diffs SET data_location = 's3://b/k', data_size = 10"
                   " WHERE id = %s", (diff_id,))
        with pytest.raises(psycopg.Error) as exc:
            db.execute(f"UPDATE zengin.diffs SET {column} = {value}"  # literals above
                       " WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG016"


def test_a_diff_body_cannot_be_recorded_by_the_update_that_decides_it_zg016(
    db: psycopg.Connection,
) -> None:
    """zengin.tg_diffs__enforce_transition: the body's place is recorded while the diff stays
    pending, not slipped into its approval or rejection."""
    diff_id = insert_diff(db)
    with pytest.raises(psycopg.Error) as exc, as_login(db, "bbase_test_dba"):
        db.execute("UPDATE zengin.diffs SET status = 'rejected', rejected_by = 'rita@example.com',"
                   " rejected_at = now(), reject_reason = 'wrong', data_location = 's3://b/k',"
                   " data_size = 10 WHERE id = %s", (diff_id,))
    assert exc.value.sqlstate == "ZG016"


def _one_update_diff(db: psycopg.Connection, tmp_path: Path) -> tuple[int, str]:
    """The small master loaded, then a snapshot renaming one branch diffed: (snapshot, diff)."""
    load_small_master(db, tmp_path / "v1")
    snapshot_id = stage(db, tmp_path / "v2", *_changed_source("name", "branch"))
    diff(db, snapshot_id, confirmed_by=CONFIRMER)
    [diff_id] = [r[0] for r in db.execute("SELECT id FROM zengin.diffs WHERE status = 'pending'")]
    return snapshot_id, diff_id


def test_a_diff_records_in_its_metadata_which_snapshot_it_came_from(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    """zengin.diff_snapshot: metadata names source, version, snapshot and processing node."""
    snapshot_id, diff_id = _one_update_diff(db, tmp_path)
    source, version = db.execute("SELECT source, source_version FROM zengin.snapshots"
                                 " WHERE id = %s", (snapshot_id,)).fetchone()
    metadata = db.execute("SELECT metadata FROM zengin.diffs WHERE id = %s",
                          (diff_id,)).fetchone()[0]
    assert metadata == {"source": source, "sourceVersion": version, "snapshotId": snapshot_id,
                        "processingNode": "postgresql"}


def test_the_export_of_a_diff_names_its_snapshot(db: psycopg.Connection, tmp_path: Path) -> None:
    """zengin.export_diff carries snapshotId (and metadata) of a diff made from a snapshot."""
    snapshot_id, diff_id = _one_update_diff(db, tmp_path)
    record = db.execute("SELECT zengin.export_diff(%s)", (diff_id,)).fetchone()[0]
    assert (record["snapshotId"], record["metadata"]["snapshotId"]) == (snapshot_id, snapshot_id)


def test_a_branch_rename_counts_only_the_payee_accounts_on_that_branch(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    """zengin.diff_impact: accounts_renamed of a branch rename (0001-001) counts the live
    accounts on that branch, not those on the bank's other branches."""
    from bbase import keys as ses_keys
    from tests.ses.conftest import TEST_KEYS

    _, diff_id = _one_update_diff(db, tmp_path)
    ses_keys.load_keys(db, TEST_KEYS)
    for branch in ("001", "004"):
        db.execute(
            "INSERT INTO billing_context.payee_accounts (owner_type, partner_company_id,"
            " bank_code, branch_code, account_type, account_number_encrypted,"
            " account_holder_kana_encrypted) VALUES ('PARTNER_COMPANY', gen_random_uuid(),"
            " '0001', %s, 1, ses_common.encrypt_personal_data('payee_account', '1234567'),"
            " ses_common.encrypt_personal_data('payee_account', 'ﾔﾏﾀﾞ ﾀﾛｳ'))", (branch,))
    renamed = db.execute("SELECT accounts_renamed FROM zengin.diff_impact(%s)",
                         (diff_id,)).fetchone()[0]
    assert renamed == 1


@pytest.mark.parametrize("table", ["banks", "branches"])
def test_an_update_that_changes_no_field_records_no_history(
    db: psycopg.Connection, tmp_path: Path, table: str
) -> None:
    load_small_master(db, tmp_path / "v1")
    count = "SELECT count(*) FROM zengin.change_history"
    before = db.execute(count).fetchone()[0]
    db.execute(f"UPDATE zengin.{table} SET name = name, kana = kana, hira = hira, roma = roma")
    assert db.execute(count).fetchone()[0] == before
