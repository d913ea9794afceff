"""Four eyes on relayed decisions: the sync's login relays approvals of diffs
another login created, never of diffs it created itself (adopted from DynamoDB)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bbase.config import Settings
from bbase.publish import publish
from bbase.sync import EXIT_OK, EXIT_QUARANTINED, run_sync
from tests.pg import login_dsn
from tests.sync.conftest import (
    OPERATOR_LOGIN,
    bank,
    designed_record,
    get_item,
    make_pending_diffs,
    pg_status,
    put_plain,
    review_in_dynamodb,
)

pytestmark = pytest.mark.commits

SYNC_LOGIN = "bbase_test_sync"
REVIEWER = "reviewer@example.com"


def test_the_sync_login_relays_an_approval_of_a_diff_an_operator_created(
        conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    (diff_id,) = make_pending_diffs(conn, [bank("9001", "テスト銀行", "テスト")])
    publish(conn, ddb, s3c, settings.env)
    review_in_dynamodb(ddb, settings, diff_id, "approved", REVIEWER)
    result = run_sync(login_dsn(fresh_dsn, SYNC_LOGIN), settings)
    assert result.exit_code == EXIT_OK, result.summary()
    row = conn.execute("SELECT status, approved_by, created_session_user, approved_session_user"
                       " FROM zengin.diffs WHERE id = %s", (diff_id,)).fetchone()
    assert row == ("approved", REVIEWER, OPERATOR_LOGIN, SYNC_LOGIN)


def test_an_approval_arriving_with_a_record_the_sync_adopts_is_not_relayed(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    put_plain(ddb, settings, designed_record("diff-20261122-001", status="approved",
                                             approvedBy=REVIEWER, createdBy="carol@example.com"))
    result = run_sync(login_dsn(fresh_dsn, SYNC_LOGIN), settings, execute=True)
    assert result.exit_code == EXIT_OK, result.summary()
    assert pg_status(conn, "diff-20261122-001") == "pending"
    assert conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0] == 0
    item = get_item(ddb, settings, "diff-20261122-001")
    assert item["status"] == "pending" and "approvedBy" not in item


def test_a_later_approval_of_a_diff_the_sync_adopted_is_quarantined_with_zg021(
        conn, fresh_dsn, ddb, settings: Settings) -> None:
    as_sync = login_dsn(fresh_dsn, SYNC_LOGIN)
    put_plain(ddb, settings, designed_record("diff-20261122-001", createdBy="carol@example.com"))
    assert run_sync(as_sync, settings).exit_code == EXIT_OK
    review_in_dynamodb(ddb, settings, "diff-20261122-001", "approved", REVIEWER)
    result = run_sync(as_sync, settings)
    assert result.exit_code == EXIT_QUARANTINED
    assert conn.execute("SELECT sqlstate FROM zengin_sync.quarantine").fetchall() == [("ZG021",)]
    assert pg_status(conn, "diff-20261122-001") == "pending"


def test_a_forged_staged_approval_cannot_push_a_diff_the_sync_created(
        conn, fresh_dsn, settings: Settings) -> None:
    """A compromised sync login writes its staging table directly: a record it
    invents, approved, is adopted as pending and stays there."""
    import json

    import psycopg

    record = designed_record("diff-20261122-777", status="approved", approvedBy="mallory")
    with psycopg.connect(login_dsn(fresh_dsn, SYNC_LOGIN), autocommit=True) as sync:
        sync.execute("SET ROLE bbase_sync")
        run_id = sync.execute("SELECT zengin_sync.begin_run('incremental')").fetchone()[0]
        sync.execute("INSERT INTO zengin_sync.staged_records (run_id, seq, diff_id, item, plain)"
                     " VALUES (%s, 1, %s, '{}', %s::jsonb)",
                     (run_id, record["id"], json.dumps(record)))
        sync.execute("SELECT zengin_sync.merge_staged(%s)", (run_id,))
        sync.execute("SELECT zengin_sync.execute_approved()")
        sync.execute("SELECT zengin_sync.finish_run(%s, 'succeeded', '{}')", (run_id,))
    assert pg_status(conn, "diff-20261122-777") == "pending"
    assert conn.execute("SELECT count(*) FROM zengin.banks").fetchone()[0] == 0


def test_the_login_that_created_a_diff_cannot_relay_its_approval(
        conn, fresh_dsn, ddb, s3c, settings: Settings) -> None:
    """The rule is on the login, not the role: the same (admin) login creates the
    diff and runs the sync, so the approval from DynamoDB is refused."""
    from pathlib import Path

    from bbase.staging import SourceData, stage

    data = SourceData(path=Path("test"), version="test",
                      banks=[bank("9001", "テスト銀行", "テスト")], branches=[])
    snapshot_id = stage(conn, data, source="test").snapshot_id
    conn.execute("SELECT zengin.diff_snapshot(%s, 'batch@example.com')", (snapshot_id,))
    (diff_id,) = conn.execute("SELECT id FROM zengin.diffs").fetchone()
    publish(conn, ddb, s3c, settings.env)
    review_in_dynamodb(ddb, settings, diff_id, "approved", REVIEWER)
    result = run_sync(fresh_dsn, replace(settings, sync_role=""))
    assert result.exit_code == EXIT_QUARANTINED
    assert conn.execute("SELECT sqlstate FROM zengin_sync.quarantine").fetchall() == [("ZG021",)]
    assert pg_status(conn, diff_id) == "pending"
