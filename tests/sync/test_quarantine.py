"""Malformed records are quarantined with their reason; the rest syncs."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from bbase import s3
from bbase.config import Settings
from bbase.sync import EXIT_OK, EXIT_QUARANTINED, run_sync
from tests.sync.conftest import designed_record, pg_status, put_plain

pytestmark = pytest.mark.commits


def _s3_record(s3c: Any, settings: Settings, diff_id: str, body: bytes, *,
               size: int | None = None, checksum: str | None = None,
               upload: bool = True) -> dict[str, Any]:
    bucket = s3.bucket_name(settings.env)
    if upload:
        s3c.put_object(Bucket=bucket, Key=f"diffs/{diff_id}.json", Body=body)
    return {"id": diff_id, "timestamp": "2026-11-22T09:00:00.000Z", "status": "pending",
            "diffType": "bulk_update", "dataLocation": f"s3://{bucket}/diffs/{diff_id}.json",
            "dataSize": len(body) if size is None else size,
            "dataChecksum": checksum or hashlib.sha256(body).hexdigest(),
            "dataSummary": {"totalRecords": 1, "additions": 1, "updates": 0, "deletions": 0}}


def _bulk_body(diff_id: str) -> bytes:
    return json.dumps({"id": diff_id, "diffType": "bulk_update", "items": [
        {"diffType": "addition", "target": "bank",
         "zenginData": {"bankCode": "9050", "bankName": "本体銀行", "bankKana": "ホンタイ"}}]},
        ensure_ascii=False).encode()


MALFORMED: dict[str, tuple[dict[str, Any] | None, str]] = {
    "diff-20261122-101": ({"diffType": None}, "missing key diffType"),
    "diff-20261122-102": ({"status": 7}, "wrong type for status"),
    "diff-20261122-103": ({"zenginData": {"bankCode": "12A4", "bankName": "x"}},
                          "bad bank code zenginData.bankCode '12A4'"),
    "diff-20261122-104": ({"zenginData": {"bankCode": "9104", "branchCode": "01"}},
                          "bad branch code zenginData.branchCode '01'"),
    "diff-20261122-105": ({"status": "archived"}, "unknown status 'archived'"),
    "diff-20261122-106": ({"zenginData": {"bankCode": "9106", "bankName": 42}},
                          "wrong type for zenginData.bankName: number 42"),
    "diff-20261122-107": ({"timestamp": "yesterday"}, "bad timestamp 'yesterday'"),
    "diff-20261122-108": ({"status": "approved"}, "status approved without approvedBy"),
}


def _put_malformed(ddb: Any, s3c: Any, settings: Settings) -> dict[str, str]:
    expected: dict[str, str] = {}
    for n, (diff_id, (change, reason)) in enumerate(MALFORMED.items()):
        rec = designed_record(diff_id, bank_code=f"91{n:02d}")
        for key, value in (change or {}).items():
            if value is None:
                del rec[key]
            else:
                rec[key] = value
        put_plain(ddb, settings, rec)
        expected[diff_id] = reason
    body = _bulk_body("diff-20261122-110")
    put_plain(ddb, settings, _s3_record(s3c, settings, "diff-20261122-110", body, upload=False))
    expected["diff-20261122-110"] = "S3 body: missing at"
    put_plain(ddb, settings, _s3_record(s3c, settings, "diff-20261122-111",
                                        _bulk_body("diff-20261122-111"), checksum="0" * 64))
    expected["diff-20261122-111"] = "S3 body: checksum mismatch"
    body = _bulk_body("diff-20261122-112")
    put_plain(ddb, settings, _s3_record(s3c, settings, "diff-20261122-112", body,
                                        size=len(body) + 1))
    expected["diff-20261122-112"] = "S3 body: size"
    put_plain(ddb, settings, _s3_record(s3c, settings, "diff-20261122-113", b"{not json",
                                        ))
    expected["diff-20261122-113"] = "S3 body: not valid JSON"
    return expected


def test_every_kind_of_malformed_record_is_quarantined_while_the_rest_syncs(
        conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    expected = _put_malformed(ddb, s3c, settings)
    put_plain(ddb, settings, designed_record("diff-20261122-001", bank_code="9001"))
    body = _bulk_body("diff-20261122-002")
    put_plain(ddb, settings, _s3_record(s3c, settings, "diff-20261122-002", body))

    result = run_sync(fresh_dsn, settings, full_resync=True)

    assert result.exit_code == EXIT_QUARANTINED, result.summary()
    got = dict(conn.execute("SELECT diff_id, reason FROM zengin_sync.quarantine").fetchall())
    assert set(got) == set(expected)
    for diff_id, reason in expected.items():
        assert reason in got[diff_id], (diff_id, got[diff_id])
    assert conn.execute("SELECT count(*) FROM zengin.diffs WHERE id = ANY(%s)",
                        (list(expected),)).fetchone()[0] == 0
    assert pg_status(conn, "diff-20261122-001") == "pending"
    assert pg_status(conn, "diff-20261122-002") == "pending"
    assert result.counts["merged"] == 2 and result.counts["quarantined"] == len(expected)


def test_quarantine_keeps_the_raw_record(conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    rec = designed_record("diff-20261122-103", zenginData={"bankCode": "12A4"})
    put_plain(ddb, settings, rec)
    run_sync(fresh_dsn, settings)
    (item,) = conn.execute("SELECT item FROM zengin_sync.quarantine").fetchone()
    assert item["zenginData"] == {"M": {"bankCode": {"S": "12A4"}}}
    assert item["id"] == {"S": "diff-20261122-103"}


def test_a_quarantined_record_is_not_quarantined_again(conn, fresh_dsn, ddb, s3c,
                                                       settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-103",
                                             zenginData={"bankCode": "12A4"}))
    assert run_sync(fresh_dsn, settings).exit_code == EXIT_QUARANTINED
    again = run_sync(fresh_dsn, settings)
    assert again.exit_code == EXIT_OK and again.counts["quarantined"] == 0
    assert conn.execute("SELECT count(*) FROM zengin_sync.quarantine").fetchone()[0] == 1


def test_a_corrected_record_resolves_its_quarantine(conn, fresh_dsn, ddb, s3c,
                                                    settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-103",
                                             zenginData={"bankCode": "12A4"}))
    run_sync(fresh_dsn, settings)
    put_plain(ddb, settings, designed_record("diff-20261122-103", bank_code="9003"))
    assert run_sync(fresh_dsn, settings).exit_code == EXIT_OK
    assert pg_status(conn, "diff-20261122-103") == "pending"
    assert conn.execute("SELECT resolved_at IS NOT NULL FROM zengin_sync.quarantine"
                        ).fetchone()[0]


def test_designed_layout_without_hiragana_is_valid_and_hiragana_is_derived(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-001", bank_code="9001"))
    assert run_sync(fresh_dsn, settings).exit_code == EXIT_OK
    data, target = conn.execute("SELECT zengin_data, target FROM zengin.diffs").fetchone()
    assert target == "branch"
    assert (data["bankHira"], data["branchHira"]) == ("てすと", "ほんてん")
    assert "bankRoma" not in data


def test_decision_refused_by_the_state_machine_is_quarantined_with_its_sqlstate(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-001", bank_code="9001",
                                             createdBy="alice@example.com"))
    run_sync(fresh_dsn, settings)
    put_plain(ddb, settings, designed_record("diff-20261122-001", bank_code="9001",
                                             createdBy="alice@example.com", status="approved",
                                             approvedBy="alice@example.com"))
    result = run_sync(fresh_dsn, settings)
    assert result.exit_code == EXIT_QUARANTINED
    assert conn.execute("SELECT sqlstate FROM zengin_sync.quarantine").fetchone()[0] == "ZG013"
    assert pg_status(conn, "diff-20261122-001") == "pending"


def test_dynamodb_is_corrected_when_postgres_refuses_a_decision(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    from tests.sync.conftest import get_item

    put_plain(ddb, settings, designed_record("diff-20261122-001", bank_code="9001",
                                             createdBy="alice@example.com"))
    run_sync(fresh_dsn, settings)
    put_plain(ddb, settings, designed_record("diff-20261122-001", bank_code="9001",
                                             createdBy="alice@example.com", status="approved",
                                             approvedBy="alice@example.com"))
    run_sync(fresh_dsn, settings)
    item = get_item(ddb, settings, "diff-20261122-001")
    assert item["status"] == "pending" and "approvedBy" not in item
