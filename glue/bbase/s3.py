"""S3: the bucket for record bodies too large for DynamoDB (> 400 KB).

Bodies live at ``s3://{env}-zengin-diff-data/diffs/{id}.json``; the DynamoDB
item keeps ``dataLocation``, ``dataSize`` and ``dataChecksum`` (hex SHA-256
of the body), and the sync verifies both before using a body.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bbase.config import Settings
from bbase.dynamo import ItemError, botocore_config, check_plain, session, show, with_backoff

#: Above this many bytes of JSON a record goes to S3: DynamoDB's 400 KB item limit
#: less the 16 KiB zengin_sync.check_item_size keeps free for what a write-back
#: adds (the JSON of a record is never smaller than DynamoDB's count of it), so a
#: published record is never refused when it is pulled back.
LARGE_RECORD_BYTES = 400 * 1024 - 16 * 1024


def bucket_name(env: str) -> str:
    return f"{env}-zengin-diff-data"


def client(settings: Settings) -> Any:
    return session(settings).client("s3", endpoint_url=settings.aws_endpoint_url,
                                    config=botocore_config())


def body_key(diff_id: str) -> str:
    return f"diffs/{diff_id}.json"


def put_body(s3: Any, bucket: str, diff_id: str, body: bytes) -> dict[str, Any]:
    """Store a record body; return the attributes the DynamoDB item keeps."""
    key = body_key(diff_id)
    checksum = hashlib.sha256(body).hexdigest()
    with_backoff(s3.put_object, Bucket=bucket, Key=key, Body=body,
                 ContentType="application/json", ServerSideEncryption="AES256",
                 Metadata={"sha256": checksum}, what="put_object")
    return {"dataLocation": f"s3://{bucket}/{key}", "dataSize": len(body),
            "dataChecksum": checksum}


def fetch_body(s3: Any, bucket: str, location: Any, size: Any, checksum: Any
               ) -> tuple[str | None, str | None]:
    """(body text, None) when the body is there, of ``size`` bytes, with ``checksum``;
    else (None, why not)."""
    if not isinstance(location, str) or not location.startswith(f"s3://{bucket}/"):
        return None, f"dataLocation {show(location)} is not in bucket {bucket}"
    key = location[len(f"s3://{bucket}/"):]
    try:
        obj = with_backoff(s3.get_object, Bucket=bucket, Key=key, what="get_object")
        body: bytes = obj["Body"].read()
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NotFound"):
            return None, f"missing at {show(location)}"
        # Any other refusal (AccessDenied for a key outside the bucket's prefix, a
        # key S3 rejects) is about this record: it is quarantined, the run goes on.
        return None, f"cannot be read from {show(location)}: {code or exc}"
    except BotoCoreError as exc:
        return None, f"cannot be read from {show(location)}: {type(exc).__name__}"
    if not isinstance(size, int) or len(body) != size:
        return None, f"size {len(body)} bytes, record says dataSize {show(size)}"
    digest = hashlib.sha256(body).hexdigest()
    if digest != checksum:
        return None, (f"checksum mismatch: sha256 {digest}, record says dataChecksum "
                      f"{show(checksum)}")
    try:
        text = body.decode("utf-8")
        parsed = json.loads(text, parse_constant=_refuse_constant)
        check_plain(parsed, "body")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        if isinstance(exc, ItemError):
            return None, str(exc)
        return None, f"not valid JSON ({exc.__class__.__name__})"
    return text, None


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def bootstrap_bucket(s3: Any, env: str, region: str) -> list[str]:
    """Create the bucket if missing; versioning, AES-256, public access blocked, 90-day expiry."""
    name = bucket_name(env)
    done: list[str] = []
    try:
        s3.head_bucket(Bucket=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
        kwargs: dict[str, Any] = {"Bucket": name}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**kwargs)
        done.append(f"created bucket {name}")
    # These four calls are idempotent PUTs: applying them again changes nothing.
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [{
        "ID": "expire-diff-bodies-after-90-days", "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "Expiration": {"Days": 90},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
    }]})
    return done
