"""``bbase publish``: pending diffs computed by PostgreSQL → DynamoDB (and S3).

Each record is ``zengin.export_diff`` JSON (via ``zengin_sync.list_unpublished``),
typed with boto3's TypeSerializer and written with a conditional put
(``attribute_not_exists(id)``), so nothing is written twice: a record that is
already there (an earlier run died after the put) is only recorded. A record
whose JSON exceeds 400 KB goes to S3 as ``diffs/{id}.json``; the item then keeps
the key, status and descriptive attributes plus ``dataLocation``, ``dataSize``,
``dataSummary`` and ``dataChecksum`` (hex SHA-256 of the body).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from botocore.exceptions import ClientError

from bbase import dynamo, logs
from bbase import s3 as s3mod
from bbase.progress import Progress

#: Attributes a DynamoDB item keeps when its body goes to S3.
KEPT_WHEN_IN_S3 = ("id", "timestamp", "status", "diffType", "target", "createdBy", "metadata",
                   "ttl", "dataSummary", "snapshotId", "updatedAt")


@dataclass
class PublishResult:
    published: int = 0
    to_s3: int = 0
    already_there: int = 0
    ids: list[str] = field(default_factory=list)


def use_sync_role(conn: psycopg.Connection, role: str) -> None:
    """SET ROLE to the sync role when the login user may (least privilege)."""
    if not role:
        return
    may = conn.execute(
        "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %s) "
        "AND pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = %s), 'MEMBER')",
        (role, role),
    ).fetchone()
    if may and may[0]:
        conn.execute(psycopg.sql.SQL("SET ROLE {}").format(psycopg.sql.Identifier(role)))


def item_for(record: dict[str, Any], s3: Any, bucket: str) -> tuple[dict[str, Any], bool]:
    """The DynamoDB item (plain) for an exported record; large bodies go to S3 first."""
    body = dynamo.dumps(record).encode("utf-8")
    if len(body) <= s3mod.LARGE_RECORD_BYTES:
        return record, False
    attrs = s3mod.put_body(s3, bucket, record["id"], body)
    item = {k: record[k] for k in KEPT_WHEN_IN_S3 if k in record}
    item.update(attrs)
    return item, True


def publish(conn: psycopg.Connection, ddb: Any, s3: Any, env: str) -> PublishResult:
    """Write every pending, unpublished diff; returns what was done."""
    table, bucket = dynamo.table_name(env), s3mod.bucket_name(env)
    result = PublishResult()
    total = conn.execute(
        "SELECT count(*) FROM zengin_sync.list_unpublished()").fetchone()[0]
    with conn.transaction(), Progress("publish", total=total) as bar:
        cur = conn.cursor(name="zengin_sync_unpublished")
        cur.itersize = 20
        cur.execute("SELECT r::text FROM zengin_sync.list_unpublished() AS r")
        for (text,) in cur:
            record = dynamo.loads(text)
            plain, in_s3 = item_for(record, s3, bucket)
            item = dynamo.plain_to_item(plain)
            try:
                dynamo.with_backoff(
                    ddb.put_item, TableName=table, Item=item,
                    ConditionExpression="attribute_not_exists(id)", what="put_item")
                result.published += 1
                result.to_s3 += int(in_s3)
                result.ids.append(record["id"])
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                result.already_there += 1
            conn.execute("SELECT zengin_sync.record_published(%s::jsonb)",
                         (dynamo.dumps(dynamo.item_to_plain(item)),))
            logs.info("published", id=record["id"], diffType=record.get("diffType"),
                      s3=in_s3, bytes=plain.get("dataSize"))
            bar.advance()
        cur.close()
    return result
