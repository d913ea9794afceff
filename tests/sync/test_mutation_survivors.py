"""Sync rules that the mutation review of issue 13 (bbase mutate, docs/testing.md) found
untested: one property per test, named after the rule."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from bbase.config import Settings
from bbase.sync import EXIT_QUARANTINED, run_sync
from tests.sync.conftest import designed_record, put_plain
from tests.zengin.helpers import approve, insert_diff


@pytest.mark.commits
@pytest.mark.parametrize("zengin_data", ["absent", "null"])
def test_a_record_without_zengin_data_is_quarantined_not_adopted(
        conn, fresh_dsn, ddb, settings: Settings, zengin_data: str) -> None:
    """zengin_sync.check_record: an absent or JSON-null zenginData (and no currentData)."""
    rec: dict[str, Any] = designed_record("diff-20261122-131", bank_code="9131")
    if zengin_data == "absent":
        del rec["zenginData"]
    else:
        rec["zenginData"] = None
    put_plain(ddb, settings, rec)
    result = run_sync(fresh_dsn, settings, full_resync=True)
    reason = conn.execute("SELECT reason FROM zengin_sync.quarantine"
                          " WHERE diff_id = 'diff-20261122-131'").fetchone()
    adopted = conn.execute("SELECT count(*) FROM zengin.diffs"
                           " WHERE id = 'diff-20261122-131'").fetchone()[0]
    assert (result.exit_code, reason, adopted) == (
        EXIT_QUARANTINED, ("missing key zenginData",), 0)


def test_a_planned_writeback_follows_the_diff_when_it_moves_on(db) -> None:
    """zengin_sync.plan_writebacks replaces a planned write-back whose desired values
    changed since it was planned (a diff approved before the write-back ran)."""
    diff_id = insert_diff(db)
    db.execute("INSERT INTO zengin_sync.remote_records (diff_id, remote_timestamp,"
               " remote_status, observed, fingerprint) VALUES (%s, 't', 'pending', '{}', 'f')",
               (diff_id,))
    db.execute("SELECT zengin_sync.plan_writebacks()")
    approve(db, diff_id)
    db.execute("SELECT zengin_sync.plan_writebacks()")
    planned = db.execute("SELECT new_values ->> 'status' FROM zengin_sync.writebacks"
                         " WHERE diff_id = %s", (diff_id,)).fetchall()
    assert planned == [("approved",)]


def test_a_writeback_no_longer_needed_leaves_the_outbox_while_others_stay(db) -> None:
    """zengin_sync.plan_writebacks: a record that now says what the diff says needs no
    write-back, whatever other records still do."""
    done, waiting = insert_diff(db), insert_diff(db)
    for diff_id in (done, waiting):
        db.execute("INSERT INTO zengin_sync.remote_records (diff_id, remote_timestamp,"
                   " remote_status, observed, fingerprint) VALUES (%s, 't', 'pending', '{}', 'f')",
                   (diff_id,))
    db.execute("SELECT zengin_sync.plan_writebacks()")
    db.execute("UPDATE zengin_sync.remote_records AS r SET observed = w.new_values"
               " FROM zengin_sync.writebacks AS w WHERE w.diff_id = r.diff_id AND r.diff_id = %s",
               (done,))
    db.execute("SELECT zengin_sync.plan_writebacks()")
    planned = db.execute("SELECT diff_id FROM zengin_sync.writebacks").fetchall()
    assert planned == [(waiting,)]


OBSERVED = ("status", "approvedBy", "approvedAt", "rejectedBy", "rejectedAt", "rejectReason",
            "executedAt", "executionResult")


@pytest.mark.parametrize("key", OBSERVED)
def test_what_a_record_is_seen_to_say_keeps_each_reviewer_and_result_attribute(
        db, key: str) -> None:
    """zengin_sync.observed_fields: every attribute a write-back compares is kept (a dropped
    one would make every sync owe that record a write-back again), nothing else."""
    observed = db.execute("SELECT zengin_sync.observed_fields(%s)",
                          (Jsonb({key: "v", "bankName": "x"}),)).fetchone()[0]
    assert observed == {key: "v"}


STRING_ATTRIBUTES = ("target", "createdBy", "approvedBy", "approvedAt", "rejectedBy",
                     "rejectedAt", "rejectReason", "executedAt", "dataLocation", "dataChecksum")


@pytest.mark.parametrize("key", STRING_ATTRIBUTES)
def test_a_string_attribute_holding_a_number_is_refused_naming_it(db, key: str) -> None:
    """zengin_sync.check_record checks the type of every string attribute of a record."""
    record = {**designed_record("diff-20261122-141"), key: 42}
    reason = db.execute("SELECT zengin_sync.check_record(%s)", (Jsonb(record),)).fetchone()[0]
    assert reason == f"wrong type for {key}: number 42, expected string"


@pytest.mark.parametrize(("attribute", "column"), [("currentData", "current_data"),
                                                   ("changes", "changes")])
def test_an_adopted_record_keeps_its_attribute_in_its_diff_item(
        db, attribute: str, column: str) -> None:
    """zengin_sync.adopt_record: a single record's currentData and changes reach its item."""
    zd = designed_record("x")["zenginData"]
    values = {"currentData": {**zd, "bankName": "旧銀行"},
              "changes": {"bankName": {"old": "旧銀行", "new": zd["bankName"]}}}
    record = {**designed_record("diff-20261122-151"), "diffType": "update", **values}
    db.execute("SELECT zengin_sync.adopt_record(%s)", (Jsonb(record),))
    stored = db.execute(f"SELECT {column} FROM zengin.diff_items"  # column: a literal above
                        " WHERE diff_id = 'diff-20261122-151'").fetchall()
    assert stored == [(values[attribute],)]


def test_an_adopted_diff_says_in_its_metadata_that_it_came_from_dynamodb(db) -> None:
    """zengin_sync.adopt_record: the record's own metadata is kept and adoptedFrom added."""
    record = {**designed_record("diff-20261122-152"), "metadata": {"source": "batch-7"}}
    db.execute("SELECT zengin_sync.adopt_record(%s)", (Jsonb(record),))
    metadata = db.execute("SELECT metadata FROM zengin.diffs"
                          " WHERE id = 'diff-20261122-152'").fetchone()[0]
    assert metadata == {"source": "batch-7", "adoptedFrom": "dynamodb"}


def test_missing_hiragana_is_derived_from_the_kana_of_a_record(db) -> None:
    """zengin_sync.complete_names fills bankHira and branchHira from the katakana."""
    data = {"bankCode": "9001", "bankKana": "テスト", "branchCode": "001",
            "branchKana": "ホンテン"}
    completed = db.execute("SELECT zengin_sync.complete_names(%s)", (Jsonb(data),)).fetchone()[0]
    assert completed == {**data, "bankHira": "てすと", "branchHira": "ほんてん"}


def test_an_item_of_exactly_the_size_limit_fits(db) -> None:
    """zengin_sync.check_item_size: 400 KiB less the 16 KiB write-back reserve is allowed,
    to the byte (DynamoDB's size as zengin_sync.measure_item_size counts it)."""
    limit = 400 * 1024 - 16 * 1024

    def item(n: int) -> Jsonb:
        return Jsonb({"id": {"S": "diff-20261122-161"}, "pad": {"S": "a" * n}})

    base = db.execute("SELECT zengin_sync.measure_item_size(%s)", (item(0),)).fetchone()[0]
    at_limit = item(limit - base)
    size, reason = db.execute("SELECT zengin_sync.measure_item_size(%s),"
                              " zengin_sync.check_item_size(%s)", (at_limit, at_limit)).fetchone()
    assert (size, reason) == (limit, None)


ZENGIN_DATA_KEYS = ["bankCode", "bankName", "bankKana", "bankHira", "bankRoma",
                    "branchCode", "branchName", "branchKana", "branchHira", "branchRoma"]


@pytest.mark.parametrize("key", ZENGIN_DATA_KEYS)
def test_a_zengin_data_value_that_is_not_a_string_is_refused_naming_its_key(
    db, key: str
) -> None:
    data = {"bankCode": "0001", key: 5}
    reason = db.execute("SELECT zengin_sync.check_zengin_data('zenginData', %s)",
                        (Jsonb(data),)).fetchone()[0]
    assert reason is not None and f"zenginData.{key}" in reason


def test_a_rejection_in_dynamodb_rejects_the_pending_diff_with_its_reviewer_and_reason(
        db) -> None:
    """zengin_sync.apply_record relays a rejection decided in DynamoDB."""
    diff_id = insert_diff(db)
    record = {"id": diff_id, "status": "rejected", "rejectedBy": "reviewer-x",
              "rejectReason": "wrong branch name"}
    changed = db.execute("SELECT zengin_sync.apply_record(%s)", (Jsonb(record),)).fetchone()[0]
    row = db.execute("SELECT status, rejected_by, reject_reason FROM zengin.diffs WHERE id = %s",
                     (diff_id,)).fetchone()
    assert (changed, row) == (True, ("rejected", "reviewer-x", "wrong branch name"))


def test_a_record_gone_from_dynamodb_is_noted_once_and_its_writeback_dropped(db) -> None:
    """zengin_sync.mark_remote_gone: the live record is marked gone and its write-back
    leaves the outbox; marking it again is ZS003 (nothing known left to mark)."""
    diff_id = insert_diff(db)
    db.execute("INSERT INTO zengin_sync.remote_records (diff_id, remote_timestamp,"
               " remote_status, observed, fingerprint) VALUES (%s, 't', 'pending', '{}', 'f')",
               (diff_id,))
    db.execute("SELECT zengin_sync.plan_writebacks()")
    db.execute("SELECT zengin_sync.mark_remote_gone(%s)", (diff_id,))
    state = db.execute(
        "SELECT r.gone_at IS NOT NULL,"
        " (SELECT count(*) FROM zengin_sync.writebacks AS w WHERE w.diff_id = r.diff_id)"
        " FROM zengin_sync.remote_records AS r WHERE r.diff_id = %s", (diff_id,)).fetchone()
    assert state == (True, 0)
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT zengin_sync.mark_remote_gone(%s)", (diff_id,))
    assert exc.value.sqlstate == "ZS003"
