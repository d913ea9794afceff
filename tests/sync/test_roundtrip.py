"""Approvals travel both ways between DynamoDB and PostgreSQL."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from bbase import dynamo
from bbase.config import Settings
from bbase.publish import publish
from bbase.sync import EXIT_OK, run_sync
from tests.sync.conftest import (
    bank,
    get_item,
    make_pending_diffs,
    pg_status,
    review_in_dynamodb,
)

pytestmark = pytest.mark.commits


def _publish(conn: psycopg.Connection, ddb: Any, s3c: Any, settings: Settings):
    return publish(conn, ddb, s3c, settings.env)


def test_published_record_has_the_designed_layout(conn, ddb, s3c, settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    result = _publish(conn, ddb, s3c, settings)
    assert result.published == 1
    item = get_item(ddb, settings, diff_id)
    assert item is not None
    assert item["status"] == "pending" and item["diffType"] == "addition"
    assert item["zenginData"]["bankCode"] == "9001"
    assert item["timestamp"].endswith("Z") and isinstance(item["ttl"], int)


def test_publish_never_writes_a_record_twice(conn, ddb, s3c, settings: Settings) -> None:
    make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    assert _publish(conn, ddb, s3c, settings).published == 1
    again = _publish(conn, ddb, s3c, settings)
    assert (again.published, again.already_there) == (0, 0)


def test_approval_in_dynamodb_is_executed_and_written_back(conn, fresh_dsn, ddb, s3c,
                                                           settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    _publish(conn, ddb, s3c, settings)
    review_in_dynamodb(ddb, settings, diff_id, "approved", "reviewer@example.com")
    result = run_sync(fresh_dsn, settings, execute=True)
    assert result.exit_code == EXIT_OK, result.summary()
    assert (result.counts["merged"], result.counts["executed"]) == (1, 1)
    assert pg_status(conn, diff_id) == "completed"
    assert conn.execute("SELECT approved_by FROM zengin.diffs WHERE id = %s",
                        (diff_id,)).fetchone()[0] == "reviewer@example.com"
    assert conn.execute("SELECT name FROM zengin.banks WHERE bank_code = '9001'"
                        ).fetchone()[0] == "テスト銀行"
    item = get_item(ddb, settings, diff_id)
    assert item["status"] == "completed"
    assert item["executionResult"]["success"] is True
    assert item["executedAt"].endswith("Z") and item["approvedBy"] == "reviewer@example.com"


def test_approval_in_postgres_reaches_dynamodb(conn, fresh_dsn, ddb, s3c,
                                               settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    _publish(conn, ddb, s3c, settings)
    conn.execute("SELECT zengin.approve_diff(%s, 'operator@example.com')", (diff_id,))
    result = run_sync(fresh_dsn, settings)
    assert result.exit_code == EXIT_OK and result.counts["written_back"] == 1
    item = get_item(ddb, settings, diff_id)
    assert (item["status"], item["approvedBy"]) == ("approved", "operator@example.com")
    assert item["approvedAt"].endswith("Z")


def test_rejection_in_dynamodb_takes_effect(conn, fresh_dsn, ddb, s3c,
                                            settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    _publish(conn, ddb, s3c, settings)
    review_in_dynamodb(ddb, settings, diff_id, "rejected", "reviewer@example.com", "typo")
    result = run_sync(fresh_dsn, settings, execute=True)
    assert result.exit_code == EXIT_OK and result.counts["executed"] == 0
    assert conn.execute("SELECT status, rejected_by, reject_reason FROM zengin.diffs "
                        "WHERE id = %s", (diff_id,)).fetchone() == (
        "rejected", "reviewer@example.com", "typo")


def test_rerun_with_nothing_new_changes_nothing(conn, fresh_dsn, ddb, s3c,
                                                settings: Settings) -> None:
    ids = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト"),
                                    bank("9002", "試験銀行", "シケン")])
    _publish(conn, ddb, s3c, settings)
    review_in_dynamodb(ddb, settings, ids[0], "approved", "reviewer@example.com")
    first = run_sync(fresh_dsn, settings, execute=True)
    assert first.exit_code == EXIT_OK
    before_pg = conn.execute("SELECT d::text FROM zengin.diffs d ORDER BY id").fetchall()
    before_ddb = sorted(dynamo.dumps(dynamo.item_to_plain(i)) for i in ddb.scan(
        TableName=dynamo.table_name(settings.env))["Items"])
    second = run_sync(fresh_dsn, settings, execute=True)
    assert second.exit_code == EXIT_OK
    c = second.counts
    assert (c["merged"], c["quarantined"], c["executed"], c["written_back"]) == (0, 0, 0, 0)
    assert c["unchanged"] == 2
    assert conn.execute("SELECT d::text FROM zengin.diffs d ORDER BY id").fetchall() == before_pg
    assert sorted(dynamo.dumps(dynamo.item_to_plain(i)) for i in ddb.scan(
        TableName=dynamo.table_name(settings.env))["Items"]) == before_ddb
