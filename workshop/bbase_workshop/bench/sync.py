"""``bbase bench sync``: the sync job against a bare boto3 read of the same records.

For each size (default 2,500 / 5,000 / 10,000 records in the designed layout,
written to a local moto server with BatchWriteItem):

* **bare**: a plain boto3 loop querying StatusIndex per status and following
  LastEvaluatedKey, touching each item and nothing more: the floor any sync
  has to pay for reading DynamoDB;
* **pull**: the sync's step 1 alone (same queries, plus decoding, S3 checks
  and COPY into zengin_sync.staged_records);
* **sync**: a whole ``run_sync`` into a fresh database (pull, validate, merge
  into zengin.diffs, maintenance, write-back planning).

Medians of ``--repeat`` runs, bare and sync alternating, in the same process
against the same server. Glue overhead = pull / bare − 1. Peak memory is
measured in a separate run per size with tracemalloc (Python allocations of
the whole sync, boto3 clients made beforehand), so it does not slow the
timed runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from dataclasses import replace
from typing import Any

import psycopg
from psycopg import sql

from bbase import dynamo, logs, s3
from bbase import migrate as mig
from bbase.commands.aws import bootstrap
from bbase.config import Settings
from bbase.sync import run_sync
from bbase_workshop.moto_server import LOCAL_CREDENTIALS, MotoServer
from bbase_workshop.pgcluster import project_cluster

TEMPLATE = "bbase_bench_sync_tpl"
RUN_DB = "bbase_bench_sync_run"


def record(n: int) -> dict[str, Any]:
    bank = f"{1000 + n % 8000:04d}"
    return {
        "id": f"diff-20261101-{n:05d}", "timestamp": f"2026-11-01T09:{n // 6000 % 60:02d}:"
        f"{n // 100 % 60:02d}.{n % 100:03d}Z", "status": "pending", "diffType": "update",
        "zenginData": {"bankCode": bank, "bankName": "ベンチ銀行", "bankKana": "ベンチ",
                       "branchCode": f"{n % 1000:03d}", "branchName": f"支店{n}",
                       "branchKana": "シテン"},
        "currentData": {"bankCode": bank, "bankName": "ベンチ銀行", "bankKana": "ベンチ",
                        "branchCode": f"{n % 1000:03d}", "branchName": f"旧支店{n}",
                        "branchKana": "キユウシテン"},
        "changes": {"branchName": {"old": f"旧支店{n}", "new": f"支店{n}"}},
        "metadata": {"source": "bench", "sourceVersion": "2026.11"},
        "createdBy": "bench", "ttl": 4102444800,
    }


def bare_read(ddb: Any, table: str, statuses: tuple[str, ...]) -> int:
    """Plain boto3: query StatusIndex per status, follow LastEvaluatedKey, count items."""
    count = 0
    for status in statuses:
        kwargs: dict[str, Any] = {
            "TableName": table, "IndexName": "StatusIndex",
            "KeyConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": status}}}
        while True:
            resp = ddb.query(**kwargs)
            for _item in resp["Items"]:
                count += 1
            if "LastEvaluatedKey" not in resp:
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    return count


def _fresh_db(admin_dsn: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(RUN_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(RUN_DB), sql.Identifier(TEMPLATE)))


def _timed_sync(dsn: str, settings: Settings) -> dict[str, float]:
    marks: dict[str, float] = {}
    start = time.perf_counter()

    def hook(stage: str) -> None:
        marks[stage] = time.perf_counter()

    result = run_sync(dsn, settings, hook=hook, ddb=dynamo.client(settings),
                      s3=s3.client(settings))
    end = time.perf_counter()
    assert result.counts["pulled"] >= 0
    return {"pull": marks["pulled"] - marks["begun"], "merge": marks["merged"] - marks["pulled"],
            "sync": end - start, "merged": result.counts["merged"]}


def cmd_bench(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")]
    logs.set_level("warning")
    cluster = project_cluster()
    cluster.start()
    with psycopg.connect(cluster.dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    mig.migrate(cluster.dsn_for(TEMPLATE))
    with psycopg.connect(cluster.dsn_for(TEMPLATE)) as conn:
        statuses = dynamo.statuses(conn)
    dsn = cluster.dsn_for(RUN_DB)
    rows = []
    with MotoServer() as endpoint:
        for key, value in LOCAL_CREDENTIALS.items():
            os.environ.setdefault(key, value)
        for size in sizes:
            settings = replace(Settings.from_env(), env=f"bench{size}",
                               aws_endpoint_url=endpoint)
            bootstrap(settings)
            ddb = dynamo.client(settings)
            table = dynamo.table_name(settings.env)
            dynamo.batch_write(ddb, table, (dynamo.plain_to_item(record(n))
                                            for n in range(1, size + 1)))
            bare_t, pull_t, merge_t, sync_t = [], [], [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                assert bare_read(ddb, table, statuses) == size
                bare_t.append(time.perf_counter() - t)
                _fresh_db(cluster.dsn)
                timed = _timed_sync(dsn, settings)
                assert timed["merged"] == size, timed
                pull_t.append(timed["pull"])
                merge_t.append(timed["merge"])
                sync_t.append(timed["sync"])
            _fresh_db(cluster.dsn)
            s3c = s3.client(settings)
            tracemalloc.start()
            run_sync(dsn, settings, ddb=ddb, s3=s3c)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            bare, pull, merge, sync = (statistics.median(x) for x in
                                       (bare_t, pull_t, merge_t, sync_t))
            rows.append((size, bare, pull, merge, sync, peak))
            print(f"sync bench: {size:>6} records  bare {bare:6.2f}s  pull {pull:6.2f}s "
                  f"(overhead {pull / bare - 1:+.0%})  merge {merge:5.2f}s  whole run "
                  f"{sync:6.2f}s ({sync / bare:.2f}x bare)  peak {peak / 2**20:5.1f} MiB",
                  flush=True)
    with psycopg.connect(cluster.dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    print()
    print("| records | bare boto3 query+paginate | sync pull (query, decode, COPY) | overhead "
          "| merge (SQL) | whole sync run | whole / bare | peak memory (tracemalloc) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, bare, pull, merge, sync, peak in rows:
        print(f"| {size:,} | {bare:.2f} s | {pull:.2f} s | {pull / bare - 1:+.0%} | {merge:.2f} s "
              f"| {sync:.2f} s | {sync / bare:.2f}× | {peak / 2**20:.1f} MiB |")
    return 0
