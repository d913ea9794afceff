"""A run killed with SIGKILL at any stage, then run again, ends where a clean run ends.

The killed run is a real ``bbase sync`` subprocess that SIGKILLs itself when
it reaches a stage (``BBASE_SYNC_KILL_AT``, test-only fault injection): in the
middle of the COPY, after each transaction, and between two write-backs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from typing import Any

import psycopg
import pytest

from bbase import dynamo
from bbase.commands.aws import bootstrap
from bbase.config import Settings
from bbase.publish import publish
from bbase.sync import EXIT_QUARANTINED, KILL_ENV, run_sync
from bbase_workshop import CHECKOUT as ROOT
from tests.sync.conftest import (
    bank,
    designed_record,
    make_pending_diffs,
    put_plain,
    review_in_dynamodb,
)

pytestmark = [pytest.mark.commits, pytest.mark.slow]


def _scenario(dsn: str, settings: Settings) -> None:
    ddb = dynamo.client(settings)
    from bbase import s3

    with psycopg.connect(dsn, autocommit=True) as conn:
        ids = make_pending_diffs(conn, [bank(f"90{n:02d}", f"テスト{n}銀行", "テスト")
                                        for n in range(1, 7)])
        publish(conn, ddb, s3.client(settings), settings.env)
        conn.execute("SELECT zengin.approve_diff(%s, 'operator@example.com')", (ids[5],))
    for diff_id in ids[:3]:
        review_in_dynamodb(ddb, settings, diff_id, "approved", "reviewer@example.com")
    review_in_dynamodb(ddb, settings, ids[3], "rejected", "reviewer@example.com", "no")
    put_plain(ddb, settings, designed_record("diff-20261121-001", bank_code="91AB"))
    put_plain(ddb, settings, designed_record("diff-20261121-002", bank_code="9102"))


def _state(dsn: str, settings: Settings) -> dict[str, Any]:
    ddb = dynamo.client(settings)
    with psycopg.connect(dsn) as conn:
        diffs = conn.execute(
            "SELECT id, status, approved_by, rejected_by, reject_reason, "
            "execution_result->'success', execution_result->'rowsAffected' "
            "FROM zengin.diffs ORDER BY id").fetchall()
        banks = conn.execute("SELECT bank_code, name FROM zengin.banks ORDER BY 1").fetchall()
        quarantine = conn.execute(
            "SELECT diff_id, reason FROM zengin_sync.quarantine ORDER BY 1").fetchall()
        outbox = conn.execute("SELECT count(*) FROM zengin_sync.writebacks").fetchone()[0]
        history = conn.execute("SELECT count(*) FROM zengin.change_history").fetchone()[0]
    items = sorted(
        (dynamo.item_to_plain(i) for i in ddb.scan(
            TableName=dynamo.table_name(settings.env))["Items"]), key=lambda i: i["id"])
    remote = [(i["id"], i["status"], i.get("approvedBy"), i.get("rejectedBy"),
               i.get("executionResult", {}).get("success"), "executedAt" in i) for i in items]
    return {"diffs": diffs, "banks": banks, "quarantine": quarantine, "outbox": outbox,
            "history": history, "remote": remote}


def _new_env(pg: Any, template_db: str, settings: Settings, tag: str) -> tuple[str, Settings]:
    dsn = pg.dsn_for(pg.create_db(template=template_db))
    s = replace(settings, env=f"{settings.env}{tag}")
    bootstrap(s)
    return dsn, s


@pytest.mark.parametrize("stage", ["begun", "pulling", "pulled", "merged", "executed",
                                   "maintained", "writing", "written"])
def test_killed_run_then_rerun_ends_like_a_clean_run(pg, template_db, settings: Settings,
                                                     stage: str) -> None:
    clean_dsn, clean = _new_env(pg, template_db, settings, "c")
    _scenario(clean_dsn, clean)
    assert run_sync(clean_dsn, clean, execute=True).exit_code == EXIT_QUARANTINED
    expected = _state(clean_dsn, clean)

    killed_dsn, killed = _new_env(pg, template_db, settings, "k")
    _scenario(killed_dsn, killed)
    env = {**os.environ, "DATABASE_URL": killed_dsn, "BBASE_ENV": killed.env,
           "AWS_ENDPOINT_URL": killed.aws_endpoint_url or "", KILL_ENV: stage}
    proc = subprocess.run([sys.executable, "-m", "bbase.cli", "sync", "--execute"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]

    again = run_sync(killed_dsn, killed, execute=True)
    assert again.state == "succeeded", again.summary()
    assert _state(killed_dsn, killed) == expected
    with psycopg.connect(killed_dsn) as conn:
        states = [r[0] for r in conn.execute("SELECT state FROM zengin_sync.runs ORDER BY id")]
        staged = conn.execute("SELECT count(*) FROM zengin_sync.staged_records").fetchone()[0]
    assert states == ["abandoned", "succeeded"] and staged == 0
    for dsn in (clean_dsn, killed_dsn):
        pg.drop_db(dsn.rsplit("/", 1)[1])
