"""A write-back DynamoDB refuses (the record changed there) is reported and retried."""

from __future__ import annotations

import pytest

from bbase.config import Settings
from bbase.publish import publish
from bbase.sync import EXIT_INCOMPLETE, EXIT_OK, run_sync
from tests.sync.conftest import bank, get_item, make_pending_diffs, review_in_dynamodb

pytestmark = pytest.mark.commits


def test_refused_conditional_write_is_reported_and_retried_next_run(
        conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    publish(conn, ddb, s3c, settings.env)
    conn.execute("SELECT zengin.approve_diff(%s, 'alice@example.com')", (diff_id,))

    def reviewer_acts_meanwhile(stage: str) -> None:
        if stage == "maintained":  # after the pull, before the write-back
            review_in_dynamodb(ddb, settings, diff_id, "approved", "bob@example.com")

    first = run_sync(fresh_dsn, settings, hook=reviewer_acts_meanwhile)
    assert first.exit_code == EXIT_INCOMPLETE and first.counts["refused"] == 1
    assert first.state == "incomplete"
    attempts, error = conn.execute(
        "SELECT attempts, last_error FROM zengin_sync.writebacks WHERE diff_id = %s",
        (diff_id,)).fetchone()
    assert attempts == 1 and "no longer 'pending'" in error
    assert get_item(ddb, settings, diff_id)["approvedBy"] == "bob@example.com"

    second = run_sync(fresh_dsn, settings)
    assert second.exit_code == EXIT_OK, second.summary()
    assert second.counts["written_back"] == 1
    item = get_item(ddb, settings, diff_id)
    assert (item["status"], item["approvedBy"]) == ("approved", "alice@example.com")
    assert conn.execute("SELECT count(*) FROM zengin_sync.writebacks").fetchone()[0] == 0


def test_write_back_never_overwrites_a_concurrent_change(
        conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    publish(conn, ddb, s3c, settings.env)
    conn.execute("SELECT zengin.approve_diff(%s, 'alice@example.com')", (diff_id,))

    def reviewer_rejects_meanwhile(stage: str) -> None:
        if stage == "maintained":
            review_in_dynamodb(ddb, settings, diff_id, "rejected", "bob@example.com", "no")

    run_sync(fresh_dsn, settings, hook=reviewer_rejects_meanwhile)
    assert get_item(ddb, settings, diff_id)["status"] == "rejected"


def test_record_gone_from_dynamodb_is_noted_not_retried_forever(
        conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    from bbase import dynamo

    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    publish(conn, ddb, s3c, settings.env)
    item = get_item(ddb, settings, diff_id)
    ddb.delete_item(TableName=dynamo.table_name(settings.env),  # as TTL expiry does
                    Key={"id": {"S": diff_id}, "timestamp": {"S": item["timestamp"]}})
    conn.execute("SELECT zengin.approve_diff(%s, 'alice@example.com')", (diff_id,))
    first = run_sync(fresh_dsn, settings)
    assert first.exit_code == EXIT_OK and first.counts["gone"] == 1
    assert conn.execute("SELECT gone_at IS NOT NULL FROM zengin_sync.remote_records"
                        ).fetchone()[0]
    second = run_sync(fresh_dsn, settings)
    assert second.exit_code == EXIT_OK
    assert (second.counts["written_back"], second.counts["gone"]) == (0, 0)
    assert publish(conn, ddb, s3c, settings.env).published == 0
