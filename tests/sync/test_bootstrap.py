"""bbase aws bootstrap creates the table and bucket exactly as designed, idempotently."""

from __future__ import annotations

from dataclasses import replace

from bbase import dynamo, s3
from bbase.commands.aws import bootstrap
from bbase.config import Settings


def test_table_has_the_designed_keys_index_ttl_and_billing(ddb, settings: Settings) -> None:
    table = ddb.describe_table(TableName=dynamo.table_name(settings.env))["Table"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"},
                                  {"AttributeName": "timestamp", "KeyType": "RANGE"}]
    (gsi,) = table["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "StatusIndex"
    assert gsi["KeySchema"] == [{"AttributeName": "status", "KeyType": "HASH"},
                                {"AttributeName": "timestamp", "KeyType": "RANGE"}]
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = ddb.describe_time_to_live(TableName=dynamo.table_name(settings.env))
    assert ttl["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}


def test_bucket_is_versioned_encrypted_private_and_expires_after_90_days(
        s3c, settings: Settings) -> None:
    name = s3.bucket_name(settings.env)
    assert s3c.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    rule = s3c.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3c.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    (lc,) = s3c.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    assert lc["Expiration"] == {"Days": 90} and lc["Status"] == "Enabled"


def test_bootstrap_twice_changes_nothing(settings: Settings) -> None:
    assert bootstrap(settings) == []


def test_prod_gets_point_in_time_recovery(settings: Settings) -> None:
    prod = replace(settings, env="prod")
    client = dynamo.client(prod)
    dynamo.bootstrap_table(client, "prod")
    backups = client.describe_continuous_backups(TableName="zengin-data-diff-prod")
    assert backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "PointInTimeRecoveryStatus"] == "ENABLED"


def test_other_envs_get_no_point_in_time_recovery(ddb, settings: Settings) -> None:
    backups = ddb.describe_continuous_backups(TableName=dynamo.table_name(settings.env))
    assert backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "PointInTimeRecoveryStatus"] == "DISABLED"
