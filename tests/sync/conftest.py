"""Fixtures of the sync tests: one moto server (127.0.0.1) per session, a
bootstrapped table and bucket per test (own env name), a database per test.

The sync commits (and takes a session lock), so every test here uses
``fresh_dsn`` (a database cloned from the migrated template).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bbase import dynamo, s3
from bbase.commands.aws import bootstrap
from bbase.config import Settings
from bbase.staging import SourceData, stage
from bbase_workshop.moto_server import LOCAL_CREDENTIALS, MotoServer
from tests.pg import as_login

#: The login that stages and diffs in these tests: an operator's own login, not
#: the one the sync runs under, since the login that created a diff cannot
#: approve it, nor relay an approval of it (ZG021).
OPERATOR_LOGIN = "bbase_test_operator"

_envs = itertools.count(1)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    with MotoServer() as url:
        yield url


@pytest.fixture
def settings(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for a table and bucket of this test's own (bootstrapped)."""
    env = f"t{os.getpid()}x{next(_envs)}"
    for key, value in {**LOCAL_CREDENTIALS, "AWS_ENDPOINT_URL": moto_url, "BBASE_ENV": env,
                       "AWS_REGION": "ap-northeast-1"}.items():
        monkeypatch.setenv(key, value)
    s = Settings.from_env()
    bootstrap(s)
    return s


@pytest.fixture
def ddb(settings: Settings) -> Any:
    return dynamo.client(settings)


@pytest.fixture
def s3c(settings: Settings) -> Any:
    return s3.client(settings)


@pytest.fixture
def conn(fresh_dsn: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(fresh_dsn, autocommit=True) as c:
        yield c


# --- data helpers ---------------------------------------------------------------

def bank(code: str, name: str, kana: str) -> tuple[str, ...]:
    return (code, name, kana, None, None)


def make_pending_diffs(conn: psycopg.Connection, banks: list[tuple[str, ...]],
                       branches: list[tuple[str, ...]] | None = None,
                       created_by: str = "batch@example.com", max_items: int = 1000) -> list[str]:
    """Stage a snapshot and let zengin.diff_snapshot create pending diffs, as the
    operator's login; their ids."""
    data = SourceData(path=Path("test"), version="test", banks=banks, branches=branches or [])
    with as_login(conn, OPERATOR_LOGIN):
        snap = stage(conn, data, source="test")
        conn.execute("SELECT zengin.diff_snapshot(%s, %s, %s)", (snap.snapshot_id, created_by,
                                                                  max_items))
    return [r[0] for r in conn.execute(
        "SELECT id FROM zengin.diffs WHERE snapshot_id = %s ORDER BY id", (snap.snapshot_id,))]


def designed_record(diff_id: str, bank_code: str = "9001", status: str = "pending",
                    **extra: Any) -> dict[str, Any]:
    """A record exactly in the design document's layout (no target, no hiragana)."""
    rec: dict[str, Any] = {
        "id": diff_id,
        "timestamp": "2026-11-22T09:00:00.000Z",
        "status": status,
        "diffType": "addition",
        "zenginData": {"bankCode": bank_code, "bankName": "テスト銀行", "bankKana": "テスト",
                       "branchCode": "001", "branchName": "本店", "branchKana": "ホンテン"},
        "metadata": {"source": "zengin-api", "sourceVersion": "2026.11"},
        "ttl": 4102444800,
    }
    rec.update(extra)
    return rec


def put_plain(ddb: Any, settings: Settings, record: dict[str, Any]) -> None:
    ddb.put_item(TableName=dynamo.table_name(settings.env),
                 Item=dynamo.plain_to_item(dynamo.loads(dynamo.dumps(record))))


def get_item(ddb: Any, settings: Settings, diff_id: str) -> dict[str, Any] | None:
    resp = ddb.query(TableName=dynamo.table_name(settings.env),
                     KeyConditionExpression="id = :id",
                     ExpressionAttributeValues={":id": {"S": diff_id}}, ConsistentRead=True)
    items = resp.get("Items", [])
    return dynamo.item_to_plain(items[0]) if items else None


def review_in_dynamodb(ddb: Any, settings: Settings, diff_id: str, status: str,
                       reviewer: str, reason: str | None = None) -> None:
    """What a reviewer UI does: update_item on the record, conditional on pending."""
    item = get_item(ddb, settings, diff_id)
    assert item is not None
    names = {"#s": "status", "#by": "approvedBy" if status == "approved" else "rejectedBy",
             "#at": "approvedAt" if status == "approved" else "rejectedAt"}
    values: dict[str, Any] = {":s": {"S": status}, ":by": {"S": reviewer},
                              ":at": {"S": "2026-11-22T10:30:00.000Z"}, ":p": {"S": "pending"}}
    expr = "SET #s = :s, #by = :by, #at = :at"
    if reason:
        names["#r"] = "rejectReason"
        values[":r"] = {"S": reason}
        expr += ", #r = :r"
    ddb.update_item(TableName=dynamo.table_name(settings.env),
                    Key={"id": {"S": diff_id}, "timestamp": {"S": item["timestamp"]}},
                    UpdateExpression=expr, ConditionExpression="#s = :p",
                    ExpressionAttributeNames=names, ExpressionAttributeValues=values)


def pg_status(conn: psycopg.Connection, diff_id: str) -> str | None:
    row = conn.execute("SELECT status FROM zengin.diffs WHERE id = %s", (diff_id,)).fetchone()
    return row[0] if row else None
