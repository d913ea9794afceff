"""Throttling is retried with capped, jittered backoff until done.

Faults are injected into real boto3 clients talking to the moto server: a
``before-call`` event hook answers the first calls of an operation itself,
with ``ProvisionedThroughputExceededException`` (HTTP 400) or with every item
sent back as ``UnprocessedItems``/``UnprocessedKeys``; later calls reach the
server as usual.
"""

from __future__ import annotations

from typing import Any

import pytest

from bbase import dynamo
from bbase.config import Settings
from bbase.publish import publish
from bbase.sync import EXIT_OK, run_sync
from tests.sync.conftest import (
    bank,
    designed_record,
    get_item,
    make_pending_diffs,
    pg_status,
    review_in_dynamodb,
)

pytestmark = pytest.mark.commits


class _Http:
    status_code = 400


class _Ok:
    status_code = 200


def throttle(client: Any, operation: str, times: int) -> dict[str, int]:
    """The next ``times`` calls of ``operation`` fail as throttled."""
    seen = {"throttled": 0}

    def hook(**_: Any) -> Any:
        if seen["throttled"] < times:
            seen["throttled"] += 1
            return _Http(), {"Error": {"Code": "ProvisionedThroughputExceededException",
                                       "Message": "injected"},
                             "ResponseMetadata": {"HTTPStatusCode": 400}}
        return None

    client.meta.events.register(f"before-call.dynamodb.{operation}", hook)
    return seen


def unprocess(client: Any, operation: str, times: int) -> dict[str, int]:
    """The next ``times`` batch calls process nothing and send everything back."""
    seen = {"unprocessed": 0}
    captured: dict[str, Any] = {}

    def capture(params: dict[str, Any], **_: Any) -> None:
        captured["RequestItems"] = params["RequestItems"]

    def hook(**_: Any) -> Any:
        if seen["unprocessed"] < times:
            seen["unprocessed"] += 1
            key = "UnprocessedItems" if operation == "BatchWriteItem" else "UnprocessedKeys"
            return _Ok(), {key: captured["RequestItems"], "Responses": {},
                           "ResponseMetadata": {"HTTPStatusCode": 200}}
        return None

    client.meta.events.register(f"before-parameter-build.dynamodb.{operation}", capture)
    client.meta.events.register(f"before-call.dynamodb.{operation}", hook)
    return seen


def test_backoff_is_capped_and_jittered() -> None:
    sleeps: list[float] = []
    backoff = dynamo.Backoff(base=0.1, cap=0.5, sleep=sleeps.append)
    for _ in range(8):
        backoff.wait("test")
    assert all(0 <= s <= 0.5 for s in sleeps)
    assert len(set(sleeps)) > 1


def test_throttled_query_and_update_are_retried(conn, fresh_dsn, ddb, s3c,
                                                settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    publish(conn, ddb, s3c, settings.env)
    review_in_dynamodb(ddb, settings, diff_id, "approved", "reviewer@example.com")
    queries = throttle(ddb, "Query", 3)
    updates = throttle(ddb, "UpdateItem", 3)
    result = run_sync(fresh_dsn, settings, execute=True, ddb=ddb)
    assert (queries["throttled"], updates["throttled"]) == (3, 3)
    assert result.exit_code == EXIT_OK and pg_status(conn, diff_id) == "completed"
    assert get_item(ddb, settings, diff_id)["status"] == "completed"


def test_throttled_scan_segments_are_retried(conn, fresh_dsn, ddb, settings: Settings) -> None:
    from tests.sync.conftest import put_plain

    for n in range(1, 6):
        put_plain(ddb, settings, designed_record(f"diff-20261122-{n:03d}", f"90{n:02d}"))
    scans = throttle(ddb, "Scan", 4)
    result = run_sync(fresh_dsn, settings, full_resync=True, ddb=ddb, segments=3)
    assert scans["throttled"] == 4
    assert result.counts["pulled"] == 5 and result.counts["merged"] == 5


def test_throttled_put_in_publish_is_retried(conn, ddb, s3c, settings: Settings) -> None:
    make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    puts = throttle(ddb, "PutItem", 2)
    assert publish(conn, ddb, s3c, settings.env).published == 1
    assert puts["throttled"] == 2


def test_unprocessed_items_are_written_in_the_end(ddb, settings: Settings) -> None:
    table = dynamo.table_name(settings.env)
    items = [dynamo.plain_to_item(designed_record(f"diff-20261122-{n:03d}", f"90{n:02d}"))
             for n in range(1, 31)]
    seen = unprocess(ddb, "BatchWriteItem", 3)
    throttled = throttle(ddb, "BatchWriteItem", 0)
    assert dynamo.batch_write(ddb, table, items) == 30
    assert seen["unprocessed"] == 3 and throttled["throttled"] == 0
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 30


def test_unprocessed_keys_are_read_in_the_end(ddb, settings: Settings) -> None:
    table = dynamo.table_name(settings.env)
    dynamo.batch_write(ddb, table, [dynamo.plain_to_item(
        designed_record(f"diff-20261122-{n:03d}", f"90{n:02d}")) for n in range(1, 11)])
    seen = unprocess(ddb, "BatchGetItem", 2)
    keys = [(f"diff-20261122-{n:03d}", "2026-11-22T09:00:00.000Z") for n in range(1, 11)]
    got = dynamo.batch_get(ddb, table, keys)
    assert seen["unprocessed"] == 2 and len(got) == 10


@pytest.mark.parametrize("operation", ["Query", "BatchWriteItem"])
def test_throttling_without_end_gives_up_at_the_deadline(ddb, settings: Settings,
                                                         monkeypatch, operation: str) -> None:
    throttle(ddb, operation, 10**6)
    monkeypatch.setattr(dynamo.Backoff, "__init__", _fast_deadline)
    table = dynamo.table_name(settings.env)
    with pytest.raises(TimeoutError):
        if operation == "Query":
            list(dynamo.query_status(ddb, table, "pending"))
        else:
            dynamo.batch_write(ddb, table, [dynamo.plain_to_item(designed_record(
                "diff-20261122-001"))])


_orig_init = dynamo.Backoff.__init__


def _fast_deadline(self: dynamo.Backoff, *args: Any, **kwargs: Any) -> None:
    _orig_init(self, base=0.001, cap=0.01, deadline=0.2)
