"""S3: the bucket for record bodies too large for DynamoDB (> 400 KB).

Bodies live at ``s3://{env}-zengin-diff-data/diffs/{id}.json``; the DynamoDB
item keeps ``dataLocation``, ``dataSize`` and ``dataChecksum`` (hex SHA-256
of the body), and the sync verifies both before using a body.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from botocore.exceptions import ClientError

from bbase.config import Settings
from bbase.dynamo import botocore_config, session, with_backoff

#: Above this many bytes of JSON a record goes to S3 (the design's 400 KB).
LARGE_RECORD_BYTES = 400 * 1024


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
        return None, f"dataLocation {location!r} is not in bucket {bucket}"
    key = location[len(f"s3://{bucket}/"):]
    try:
        obj = with_backoff(s3.get_object, Bucket=bucket, Key=key, what="get_object")
        body: bytes = obj["Body"].read()
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NotFound"):
            return None, f"missing at {location}"
        raise
    if not isinstance(size, int) or len(body) != size:
        return None, f"size {len(body)} bytes, record says dataSize {size!r}"
    digest = hashlib.sha256(body).hexdigest()
    if digest != checksum:
        return None, f"checksum mismatch: sha256 {digest}, record says dataChecksum {checksum!r}"
    try:
        text = body.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"not valid JSON ({exc.__class__.__name__})"
    if "\\u0000" in text:
        return None, "contains NUL characters"
    return text, None


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
