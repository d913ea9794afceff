"""Hostile DynamoDB records are quarantined, each with a reason naming the attribute and its
value, and the run goes on: NUL characters, impossible ids, oversize values, numbers out of
range, wrong types, unknown statuses. Nothing of them reaches PostgreSQL's diffs or master."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bbase import dynamo
from bbase.config import Settings
from bbase.sync import EXIT_QUARANTINED, run_sync
from tests.sync.conftest import designed_record, pg_status, put_plain

pytestmark = pytest.mark.commits

VALID_ID = "diff-20261122-001"


def _sync_with(fresh_dsn: str, ddb: Any, settings: Settings,
               hostile: list[dict[str, Any]]) -> Any:
    for rec in hostile:
        put_plain(ddb, settings, rec)
    put_plain(ddb, settings, designed_record(VALID_ID, bank_code="9001"))
    return run_sync(fresh_dsn, settings, full_resync=True)


def _reasons(conn: Any) -> dict[str, str]:
    return dict(conn.execute("SELECT diff_id, reason FROM zengin_sync.quarantine").fetchall())


def _assert_only_the_valid_record_arrived(conn: Any) -> None:
    assert conn.execute("SELECT array_agg(id) FROM zengin.diffs").fetchone()[0] == [VALID_ID]
    assert pg_status(conn, VALID_ID) == "pending"


def test_a_nul_in_any_string_attribute_is_quarantined_naming_it_and_the_rest_syncs(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    zd = designed_record("x")["zenginData"]
    result = _sync_with(fresh_dsn, ddb, settings, [
        designed_record("diff-20261122-101", createdBy="ali\x00ce"),
        designed_record("diff-20261122-102", zenginData={**zd, "bankName": "テスト\x00銀行"}),
        designed_record("diff-20261122-103", metadata={"source\x00": "x"}),
    ])
    assert result.exit_code == EXIT_QUARANTINED, result.summary()
    reasons = _reasons(conn)
    assert reasons["diff-20261122-101"] == (
        "createdBy: contains NUL (U+0000) at character 4: 'ali\\x00ce'")
    assert reasons["diff-20261122-102"].startswith(
        "zenginData.bankName: contains NUL (U+0000) at character 4")
    assert reasons["diff-20261122-103"].startswith("metadata key: contains NUL")
    _assert_only_the_valid_record_arrived(conn)


def test_the_quarantined_copy_of_a_nul_record_shows_the_nul_as_a_symbol(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    _sync_with(fresh_dsn, ddb, settings, [designed_record("diff-20261122-101",
                                                          createdBy="ali\x00ce")])
    item = conn.execute("SELECT item FROM zengin_sync.quarantine").fetchone()[0]
    assert item["createdBy"] == {"S": "ali\u2400ce"}


@pytest.mark.parametrize("diff_id", ["diff-20261399-001", "diff-20260230-001",
                                     "diff-20261122-99999999999", "diff-20261122-2147483648"])
def test_an_id_without_a_calendar_day_or_int4_sequence_is_quarantined_and_the_run_goes_on(
        conn, fresh_dsn, ddb, settings: Settings, diff_id: str) -> None:
    result = _sync_with(fresh_dsn, ddb, settings, [designed_record(diff_id, bank_code="9002")])
    assert result.exit_code == EXIT_QUARANTINED, result.summary()
    assert _reasons(conn)[diff_id].startswith(f"bad id '{diff_id}': expected diff-YYYYMMDD-NNN")
    _assert_only_the_valid_record_arrived(conn)


def test_a_name_over_the_limit_is_quarantined_before_it_is_applied(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    zd = designed_record("x")["zenginData"]
    _sync_with(fresh_dsn, ddb, settings, [designed_record(
        "diff-20261122-104", zenginData={**zd, "bankName": "ア" * 120_000})])
    reason = _reasons(conn)["diff-20261122-104"]
    assert reason.startswith("zenginData.bankName: 120000 characters, limit 100: 'アア")
    assert len(reason) < 300
    _assert_only_the_valid_record_arrived(conn)


def test_an_item_without_room_for_the_write_back_is_refused_before_it_is_applied(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    _sync_with(fresh_dsn, ddb, settings, [designed_record(
        "diff-20261122-105", metadata={"note": "x" * 395_000})])
    reason = _reasons(conn)["diff-20261122-105"]
    assert reason.startswith("item: ") and "bytes, limit 393216" in reason
    _assert_only_the_valid_record_arrived(conn)


def test_the_item_size_matches_dynamodbs_own_accounting(conn) -> None:
    """Strings by UTF-8 bytes, names included, numbers by digits: the documented rule."""
    item = {"id": {"S": "diff-20261122-001"}, "名": {"S": "テスト"}, "n": {"N": "12345"},
            "m": {"M": {"a": {"BOOL": True}, "l": {"L": [{"S": "ab"}, {"NULL": True}]}}}}
    expected = (2 + 17) + (3 + 9) + (1 + 4) + (1 + 3 + (1 + 1 + 1) + (1 + 1 + 3 + (1 + 2)
                                                                       + (1 + 1)))
    got = conn.execute("SELECT zengin_sync.measure_item_size(%s::jsonb)",
                       (dynamo.dumps(item),)).fetchone()[0]
    assert got == expected


@pytest.mark.parametrize(("ttl", "shown"), [(10**30, "1000000000000000000000000000000"),
                                            (-1, "-1"), (Decimal("1.5"), "1.5")])
def test_a_ttl_that_is_no_bigint_is_quarantined_naming_it_not_bigint_out_of_range(
        conn, fresh_dsn, ddb, settings: Settings, ttl: Any, shown: str) -> None:
    _sync_with(fresh_dsn, ddb, settings, [designed_record("diff-20261122-106", ttl=ttl)])
    assert _reasons(conn)["diff-20261122-106"] == (
        f"ttl: {shown}, expected a whole number from 0 to 9223372036854775807")
    _assert_only_the_valid_record_arrived(conn)


def test_a_target_contradicting_its_branch_code_is_quarantined_naming_the_target(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    _sync_with(fresh_dsn, ddb, settings, [designed_record("diff-20261122-107", target="bank")])
    assert _reasons(conn)["diff-20261122-107"] == (
        "record.target 'bank' but branchCode '001': a bank record has no branch code")
    _assert_only_the_valid_record_arrived(conn)


# --- conversion in the glue (no DynamoDB needed) --------------------------------------

@pytest.mark.parametrize(("item", "reason"), [
    ({"id": {"S": "a"}, "n": {"N": "1e400"}}, "n: '1e400' is beyond DynamoDB's number range"),
    ({"id": {"S": "a"}, "n": {"N": "NaN"}}, "n: 'NaN' is not a finite number"),
    ({"id": {"S": "a"}, "n": {"N": "twelve"}}, "n: 'twelve' is not a number"),
    ({"id": {"S": "a\ud800"}}, "id: not valid UTF-8 at character 2"),
    ({"id": {"S": "a", "N": "1"}}, "id: {'S': 'a', 'N': '1'} is not a DynamoDB attribute value"),
    ({"id": {"X": "a"}}, "id: {'X': 'a'} is not a DynamoDB attribute value"),
    ({"id": {"S": 5}}, "id: int 5, expected a string"),
    ({"id": {"S": "a"}, "m": {"M": [1]}}, "m: map [1] is not a map"),
])
def test_an_item_the_glue_cannot_convert_becomes_a_reason_not_an_exception(
        item: dict[str, Any], reason: str) -> None:
    shown, plain, error = dynamo.convert_item(item)
    assert error is not None and error.startswith(reason)
    dynamo.dumps(shown), dynamo.dumps(plain)  # both can be staged (no NaN, no NUL)


def test_nesting_deeper_than_dynamodb_allows_becomes_a_reason() -> None:
    value: dict[str, Any] = {"S": "x"}
    for _ in range(2000):
        value = {"M": {"k": value}}
    _, _, error = dynamo.convert_item({"id": {"S": "a"}, "deep": value})
    assert error is not None and error.endswith("nested deeper than 32 levels")


# --- property: random malformed items --------------------------------------------------

_ids = itertools.count(200)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10)
_NOT_A_STRING = st.one_of(st.integers(-10**6, 10**6), st.booleans(),
                          st.lists(st.integers(0, 9), max_size=2),
                          st.dictionaries(st.sampled_from("abc"), st.integers(0, 9), max_size=2))


def _set(rec: dict[str, Any], path: str, value: Any) -> None:
    head, _, tail = path.partition(".")
    if tail:
        rec[head] = {**rec[head], tail: value}
    else:
        rec[head] = value


_MUTATIONS = st.one_of(
    st.tuples(st.just("id"), st.sampled_from(["diff-20261399-{:03d}", "diff-20260230-{:03d}",
                                              "diff-20261100-{:03d}", "diff-20261122-9{:010d}"])),
    st.tuples(st.just("status"), _TEXT.filter(lambda s: s not in (
        "pending", "approved", "rejected", "expired", "executing", "completed", "failed"))
        .map(lambda s: s or "?")),
    st.tuples(st.just("diffType"), _TEXT.filter(lambda s: s not in (
        "addition", "update", "deletion", "bulk_update"))),
    st.tuples(st.just("target"), _TEXT.filter(lambda s: s not in ("bank", "branch"))),
    st.tuples(st.just("createdBy"), st.tuples(_TEXT, _TEXT).map(lambda t: f"{t[0]}\x00{t[1]}")),
    st.tuples(st.just("zenginData.bankName"),
              st.tuples(_TEXT, _TEXT).map(lambda t: f"{t[0]}\x00{t[1]}")),
    st.tuples(st.just("zenginData.bankName"), st.integers(101, 20_000).map(lambda n: "ア" * n)),
    st.tuples(st.just("zenginData.branchKana"), _NOT_A_STRING),
    st.tuples(st.just("zenginData.bankCode"), _TEXT.filter(
        lambda s: not (len(s) == 4 and s.isascii() and s.isdigit()))),
    st.tuples(st.just("ttl"), st.one_of(st.integers(max_value=-1),
                                        st.integers(min_value=2**63, max_value=10**37),
                                        st.sampled_from([Decimal("1.5"), Decimal("0.001")]))),
    st.tuples(st.just("metadata"), st.one_of(_TEXT, st.integers(), st.lists(st.integers()))),
    st.tuples(st.just("timestamp"), _TEXT.filter(lambda s: "T" not in s).map(lambda s: s or "?")),
)


def _hostile(mutation: tuple[str, Any]) -> tuple[dict[str, Any], str]:
    """A designed record with one fault, and the attribute its reason must name."""
    path, value = mutation
    n = next(_ids)
    rec = designed_record(f"diff-20261122-{n:03d}", bank_code=f"{9000 + n % 1000:04d}")
    rec["metadata"] = {**rec["metadata"], "nonce": n}
    if path == "id":
        rec["id"] = value.format(n)
    else:
        _set(rec, path, value)
    return rec, path


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(_MUTATIONS, min_size=1, max_size=3))
def test_every_random_malformed_record_is_quarantined_naming_its_attribute(
        conn, fresh_dsn, ddb, settings: Settings, mutations: list[tuple[str, Any]]) -> None:
    hostile = [_hostile(m) for m in mutations]
    table = dynamo.table_name(settings.env)
    try:
        result = _sync_with(fresh_dsn, ddb, settings, [rec for rec, _ in hostile])
        assert result.exit_code == EXIT_QUARANTINED, result.summary()
        rows = conn.execute("SELECT item, reason FROM zengin_sync.quarantine WHERE run_id = %s",
                            (result.run_id,)).fetchall()
        by_nonce = {item["metadata"]["M"]["nonce"]["N"]
                    if isinstance(item.get("metadata", {}).get("M"), dict) else None: reason
                    for item, reason in rows}
        for rec, path in hostile:
            nonce = rec["metadata"].get("nonce") if isinstance(rec["metadata"], dict) else None
            if nonce is None:  # the metadata itself was the fault
                assert any(reason.startswith("wrong type for metadata") for _, reason in rows)
                continue
            reason = by_nonce[str(nonce)]
            assert path.split(".")[-1] in reason and "\n" not in reason, (path, reason)
            assert len(reason) < 400
        assert conn.execute("SELECT array_agg(id) FROM zengin.diffs").fetchone()[0] == [VALID_ID]
        assert conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0] == 0
    finally:
        for rec, _ in hostile:
            ddb.delete_item(TableName=table, Key={"id": {"S": rec["id"]},
                                                  "timestamp": {"S": rec["timestamp"]}})
