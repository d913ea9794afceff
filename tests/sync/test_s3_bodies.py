"""Records over 400 KB travel through S3, verified by size and checksum."""

from __future__ import annotations

import json

import pytest

from bbase import s3
from bbase.config import Settings
from bbase.publish import publish
from bbase.sync import EXIT_OK, run_sync
from tests.sync.conftest import bank, get_item, make_pending_diffs, pg_status, review_in_dynamodb

pytestmark = pytest.mark.commits


def _wide(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _big_bank_diffs(conn) -> list[str]:
    """One new bank with 999 branches: bulk_update diff(s) of well over 400 KB."""
    name = "番目の非常に長い名前の支店（テスト用の長い名前）"
    kana = "バンメノヒジョウニナガイナマエノシテンテストヨウノナガイナマエ"
    branches = [("9100", f"{n:03d}", f"第{n}{name}", f"ダイ{_wide(n)}{kana}", None, None)
                for n in range(1, 1000)]
    return make_pending_diffs(conn, [bank("9100", "大きな銀行", "オオキナ")], branches,
                              max_items=2000)


def test_large_record_goes_to_s3_with_size_and_checksum(conn, ddb, s3c,
                                                        settings: Settings) -> None:
    ids = _big_bank_diffs(conn)
    result = publish(conn, ddb, s3c, settings.env)
    assert result.to_s3 >= 1
    big = [get_item(ddb, settings, i) for i in ids]
    big = [b for b in big if "dataLocation" in b]
    item = big[0]
    assert item["dataLocation"] == f"s3://{s3.bucket_name(settings.env)}/diffs/{item['id']}.json"
    assert item["dataSize"] > s3.LARGE_RECORD_BYTES
    assert len(item["dataChecksum"]) == 64
    assert item["dataSummary"]["totalRecords"] > 0
    assert "items" not in item and "zenginData" not in item
    body = s3c.get_object(Bucket=s3.bucket_name(settings.env),
                          Key=f"diffs/{item['id']}.json")["Body"].read()
    assert len(body) == item["dataSize"] and json.loads(body)["id"] == item["id"]


def test_approved_large_record_is_executed_from_its_s3_body(conn, fresh_dsn, ddb, s3c,
                                                            settings: Settings) -> None:
    ids = _big_bank_diffs(conn)
    publish(conn, ddb, s3c, settings.env)
    for diff_id in ids:
        review_in_dynamodb(ddb, settings, diff_id, "approved", "reviewer@example.com")
    result = run_sync(fresh_dsn, settings, execute=True)
    assert result.exit_code == EXIT_OK, result.summary()
    assert all(pg_status(conn, i) == "completed" for i in ids)
    assert conn.execute("SELECT count(*) FROM zengin.branches WHERE bank_code = '9100'"
                        ).fetchone()[0] == 999
    assert all(get_item(ddb, settings, i)["status"] == "completed" for i in ids)
