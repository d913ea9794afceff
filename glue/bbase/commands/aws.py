"""``bbase aws bootstrap``: the DynamoDB table and S3 bucket, as designed (dev/test).

boto3 (through ``bbase.dynamo`` and ``bbase.s3``) is imported inside the functions.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from bbase.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("aws", help="AWS resources of the sync (DynamoDB table, S3 bucket)")
    aws = p.add_subparsers(dest="aws_command", required=True, metavar="ACTION",
                           help="what to do with the AWS resources")
    b = aws.add_parser("bootstrap", help="create the diff table and body bucket (idempotent)")
    b.add_argument("--env", default=None, help="environment name (default: BBASE_ENV or dev)")
    b.set_defaults(func=cmd_bootstrap)


def bootstrap(settings: Settings) -> list[str]:
    """Create what is missing; returns what was done (empty when all was there)."""
    from bbase import dynamo, s3

    done = dynamo.bootstrap_table(dynamo.client(settings), settings.env)
    done += s3.bootstrap_bucket(s3.client(settings), settings.env, settings.aws_region)
    return done


def cmd_bootstrap(args: argparse.Namespace) -> int:
    from bbase import dynamo, s3

    settings = Settings.from_env()
    if args.env:
        settings = replace(settings, env=args.env)
    done = bootstrap(settings)
    for line in done:
        print(f"aws bootstrap: {line}")
    print(f"aws bootstrap: table {dynamo.table_name(settings.env)} and bucket "
          f"{s3.bucket_name(settings.env)} ready ({len(done)} change(s))")
    return 0
