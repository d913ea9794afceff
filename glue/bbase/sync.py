"""``bbase sync``: the scheduled job keeping DynamoDB/S3 and PostgreSQL in step.

One run per call (cron, a container, or :func:`handler` as a Lambda-style
entry point). The Python moves records; every decision is made in SQL
(schema ``zengin_sync``):

1. **pull**: query ``StatusIndex`` per status (``LastEvaluatedKey`` paging), or
   a parallel Scan (``Segment``/``TotalSegments``) for a full resync; S3
   bodies are fetched and their size and SHA-256 verified; everything is
   streamed into ``zengin_sync.staged_records`` with COPY, page by page;
2. **merge**: ``zengin_sync.merge_staged`` validates, quarantines, adopts and
   applies reviewers' decisions through ``zengin.approve_diff``/``reject_diff``;
3. **execute** (``--execute``): ``zengin.execute_approved_diffs``;
4. **maintain**: expire stale diffs, change_history partitions and retention
   (before the write-back, so expirations reach DynamoDB in the same run);
5. **write back**: ``zengin_sync.plan_writebacks`` fills the outbox;
   each row becomes an ``UpdateItem`` conditional on the status last seen.

A session advisory lock (``zengin_sync.begin_run``) keeps runs apart. Every
PostgreSQL step is its own transaction and every DynamoDB write is
conditional, so a run killed at any point is finished by the next one.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from botocore.exceptions import ClientError

from bbase import dynamo, errors, logs
from bbase import s3 as s3mod
from bbase.config import Settings, resolve_direct_dsn
from bbase.connection import connect
from bbase.progress import Progress
from bbase.publish import use_sync_role

EXIT_OK = 0
EXIT_INCOMPLETE = 3  # write-backs refused or failed: the next run retries them
EXIT_QUARANTINED = 4  # all done, but records were quarantined in this run
EXIT_LOCKED = 75  # another run holds the lock (EX_TEMPFAIL)

#: Test-only fault injection: SIGKILL ourselves when this stage is reached.
KILL_ENV = "BBASE_SYNC_KILL_AT"
STAGES = ("begun", "pulling", "pulled", "merged", "executed", "maintained", "writing", "written")

#: The attributes a write-back owns (as zengin_sync.observed_fields).
WRITEBACK_KEYS = ("status", "approvedBy", "approvedAt", "rejectedBy", "rejectedAt",
                  "rejectReason", "executedAt", "executionResult")

COPY_STAGED = ("COPY zengin_sync.staged_records "
               "(run_id, seq, diff_id, item, plain, body, body_error, item_error) FROM STDIN")


@dataclass
class SyncResult:
    run_id: int
    state: str
    counts: dict[str, Any] = field(default_factory=dict)
    exit_code: int = EXIT_OK

    def summary(self) -> str:
        c = self.counts
        return (f"sync: run {self.run_id} {self.state}: pulled={c.get('pulled', 0)} "
                f"merged={c.get('merged', 0)} quarantined={c.get('quarantined', 0)} "
                f"executed={c.get('executed', 0)} written_back={c.get('written_back', 0)} "
                f"(unchanged={c.get('unchanged', 0)} refused={c.get('refused', 0)} "
                f"expired={c.get('expired', 0)} failed={c.get('failed', 0)} "
                f"gone={c.get('gone', 0)})")


def _stage(name: str, hook: Callable[[str], None] | None) -> None:
    logs.info("stage", stage=name)
    if hook is not None:
        hook(name)
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _pages(ddb: Any, table: str, full: bool, segments: int, page_size: int | None,
           statuses: tuple[str, ...]) -> Iterator[list[dict[str, Any]]]:
    if full:
        yield from dynamo.parallel_scan(ddb, table, segments=segments, page_size=page_size)
        return
    for status in statuses:
        yield from dynamo.query_status(ddb, table, status, page_size=page_size)


def pull(conn: psycopg.Connection, run_id: int, ddb: Any, s3: Any, env: str, *, full: bool,
         segments: int = 4, page_size: int | None = None,
         hook: Callable[[str], None] | None = None) -> int:
    """Stream every record into zengin_sync.staged_records (one transaction). Returns count."""
    table, bucket = dynamo.table_name(env), s3mod.bucket_name(env)
    statuses = dynamo.statuses(conn)  # read before the COPY starts
    seq = 0
    with conn.transaction(), conn.cursor() as cur, cur.copy(COPY_STAGED) as copy, \
            Progress("pull", total=dynamo.item_count(ddb, table)) as bar:
        for page in _pages(ddb, table, full, segments, page_size, statuses):
            for item in page:
                seq += 1
                # A hostile item never fails the COPY: what cannot be converted is
                # staged as a printable copy with its reason, and quarantined.
                item, plain, item_error = dynamo.convert_item(item)
                body = body_error = None
                if item_error is None and "dataLocation" in plain:
                    body, body_error = s3mod.fetch_body(
                        s3, bucket, plain.get("dataLocation"), plain.get("dataSize"),
                        plain.get("dataChecksum"))
                diff_id = plain.get("id") if isinstance(plain.get("id"), str) else None
                copy.write_row((run_id, seq, diff_id, dynamo.dumps(item), dynamo.dumps(plain),
                                body, body_error, item_error))
            bar.advance(len(page))
            if page and seq == len(page):
                _stage("pulling", hook)  # first page staged, COPY still open
            del page  # let it go before the next page is fetched
    return seq


def write_back(conn: psycopg.Connection, ddb: Any, env: str,
               hook: Callable[[str], None] | None = None) -> tuple[int, int, int, int]:
    """Make the outbox's conditional updates. Returns (written, refused, failed, gone)."""
    table = dynamo.table_name(env)
    rows = conn.execute(
        "SELECT diff_id, remote_timestamp, expected_status, new_values::text "
        "FROM zengin_sync.writebacks ORDER BY diff_id").fetchall()
    written = refused = failed = gone = 0
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    with Progress("write-back", total=len(rows)) as bar:
        for diff_id, ts, expected, values_text in rows:
            values = dynamo.loads(values_text)
            names = {"#status": "status", "#updatedAt": "updatedAt"}
            attr_values: dict[str, Any] = {":prev": {"S": expected}, ":now": {"S": now}}
            sets = ["#updatedAt = :now"]
            for i, (key, value) in enumerate(sorted(values.items())):
                names[f"#a{i}"] = key
                attr_values[f":v{i}"] = dynamo.plain_to_item({"v": value})["v"]
                sets.append(f"#a{i} = :v{i}")
            # Reviewer/result attributes PostgreSQL does not have are removed.
            removes = [f"#r{i}" for i, key in enumerate(WRITEBACK_KEYS) if key not in values]
            names.update({f"#r{i}": key for i, key in enumerate(WRITEBACK_KEYS)
                          if key not in values})
            expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes)
                                                     if removes else "")
            try:
                resp = dynamo.with_backoff(
                    ddb.update_item, TableName=table,
                    Key={"id": {"S": diff_id}, "timestamp": {"S": ts}},
                    UpdateExpression=expression,
                    ConditionExpression="#status = :prev",
                    ExpressionAttributeNames=names, ExpressionAttributeValues=attr_values,
                    ReturnValues="ALL_NEW", what="update_item")
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code == "ConditionalCheckFailedException" and _gone(ddb, table, diff_id, ts):
                    conn.execute("SELECT zengin_sync.mark_remote_gone(%s)", (diff_id,))
                    gone += 1
                    logs.warning("remote_gone", id=diff_id,
                                 reason="no longer in DynamoDB (TTL expiry or deleted)")
                    bar.advance()
                    continue
                if code == "ConditionalCheckFailedException":
                    reason = f"refused: status in DynamoDB is no longer {expected!r}"
                    refused += 1
                else:
                    reason = f"failed: {code or exc}"
                    failed += 1
                conn.execute("SELECT zengin_sync.refuse_writeback(%s, %s)", (diff_id, reason))
                logs.warning("writeback_refused", id=diff_id, expected_status=expected,
                             reason=reason)
            else:
                # The record as DynamoDB now has it becomes the last seen state; an
                # attribute someone else made unconvertible meanwhile is kept as its
                # printable copy, so the next pull sees a change and quarantines it.
                plain = dynamo.convert_item(resp["Attributes"])[1]
                conn.execute("SELECT zengin_sync.complete_writeback(%s, %s::jsonb)",
                             (diff_id, dynamo.dumps(plain)))
                written += 1
                logs.info("written_back", id=diff_id, status=values.get("status"),
                          previous=expected)
                if written == 1:
                    _stage("writing", hook)
            bar.advance()
    return written, refused, failed, gone


def _gone(ddb: Any, table: str, diff_id: str, ts: str) -> bool:
    """Whether the record no longer exists (a refused write's other cause)."""
    resp = dynamo.with_backoff(ddb.get_item, TableName=table, ConsistentRead=True,
                               Key={"id": {"S": diff_id}, "timestamp": {"S": ts}},
                               what="get_item")
    return "Item" not in resp


def run_sync(dsn: str, settings: Settings, *, full_resync: bool = False, execute: bool = False,
             ddb: Any = None, s3: Any = None, segments: int = 4, page_size: int | None = None,
             hook: Callable[[str], None] | None = None) -> SyncResult:
    """One sync run. Raises errors.SyncRunLocked when another run holds the lock."""
    env = settings.env
    ddb = ddb or dynamo.client(settings)
    s3 = s3 or s3mod.client(settings)
    started = time.monotonic()
    # A session of its own: the run lock is a session advisory lock held across many
    # transactions, and the sync role is SET for the session (bbase.connection).
    conn = connect(dsn, session=True, autocommit=True, application_name="bbase sync")
    try:
        use_sync_role(conn, settings.sync_role)
        try:
            run_id = conn.execute("SELECT zengin_sync.begin_run(%s)",
                                  ("full" if full_resync else "incremental",)).fetchone()[0]
        except psycopg.Error as exc:
            translated = errors.translate(exc)
            if isinstance(translated, errors.SyncRunLocked):
                raise translated from exc
            raise
        counts: dict[str, Any] = {}
        logs.info("run_started", run_id=run_id, env=env, full_resync=full_resync,
                  execute=execute)
        try:
            _stage("begun", hook)
            counts["pulled"] = pull(conn, run_id, ddb, s3, env, full=full_resync,
                                    segments=segments, page_size=page_size, hook=hook)
            _stage("pulled", hook)
            merged = conn.execute("SELECT zengin_sync.merge_staged(%s)", (run_id,)).fetchone()[0]
            counts.update({k: merged[k] for k in ("merged", "observed", "unchanged",
                                                  "quarantined")})
            logs.info("merged", run_id=run_id, **merged)
            for diff_id, reason, sqlstate in conn.execute(
                    "SELECT diff_id, reason, sqlstate FROM zengin_sync.quarantine "
                    "WHERE run_id = %s ORDER BY id", (run_id,)):
                logs.warning("quarantined", run_id=run_id, id=diff_id, reason=reason,
                             sqlstate=sqlstate)
            _stage("merged", hook)
            if execute:
                ex = conn.execute("SELECT zengin_sync.execute_approved()").fetchone()[0]
                counts.update(executed=ex["executed"], failed=ex["failed"])
                logs.info("executed", run_id=run_id, **ex)
            _stage("executed", hook)
            mt = conn.execute("SELECT zengin_sync.run_maintenance()").fetchone()[0]
            counts["expired"] = mt["diffsExpired"]
            logs.info("maintained", run_id=run_id, **mt)
            _stage("maintained", hook)
            outstanding = conn.execute("SELECT zengin_sync.plan_writebacks()").fetchone()[0]
            logs.info("writebacks_planned", run_id=run_id, outstanding=outstanding)
            written, refused, failed, gone = write_back(conn, ddb, env, hook)
            counts.update(written_back=written, refused=refused, writeback_failed=failed,
                          gone=gone)
            _stage("written", hook)
        except BaseException as exc:
            counts["seconds"] = round(time.monotonic() - started, 3)
            try:
                conn.execute("SELECT zengin_sync.finish_run(%s, 'failed', %s::jsonb, %s)",
                             (run_id, dynamo.dumps(counts), f"{type(exc).__name__}: {exc}"))
            except psycopg.Error:
                pass
            logs.error("run_failed", run_id=run_id, error=f"{type(exc).__name__}: {exc}")
            raise
        counts["seconds"] = round(time.monotonic() - started, 3)
        if counts.get("refused") or counts.get("writeback_failed"):
            state, code = "incomplete", EXIT_INCOMPLETE
            error = (f"{counts.get('refused', 0) + counts.get('writeback_failed', 0)} "
                     "write-back(s) left for the next run")
        else:
            state, error = "succeeded", None
            code = EXIT_QUARANTINED if counts.get("quarantined") else EXIT_OK
        conn.execute("SELECT zengin_sync.finish_run(%s, %s, %s::jsonb, %s)",
                     (run_id, state, dynamo.dumps(counts), error))
        result = SyncResult(run_id, state, counts, code)
        logs.info("run_finished", run_id=run_id, state=state, exit_code=code, **counts)
        return result
    finally:
        conn.close()


def handler(event: dict[str, Any] | None = None, context: Any = None) -> dict[str, Any]:
    """Lambda-style entry point: ``{"fullResync": bool, "execute": bool}`` → summary."""
    event = event or {}
    settings = Settings.from_env()
    try:
        result = run_sync(resolve_direct_dsn(settings, "bbase sync"), settings,
                          full_resync=bool(event.get("fullResync")),
                          execute=bool(event.get("execute")))
    except errors.SyncRunLocked as exc:
        return {"state": "locked", "exitCode": EXIT_LOCKED, "message": str(exc)}
    return {"runId": result.run_id, "state": result.state, "exitCode": result.exit_code,
            "counts": result.counts, "summary": result.summary()}
