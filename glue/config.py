"""Configuration from the environment, the way libpq and AWS users expect.

* ``DATABASE_URL``: a libpq URI. Or ``DB_SECRET_ID``: an AWS Secrets Manager
  secret holding ``{"username", "password", "host", "port", "database", "ssl"}``
  (the design document's shape). With neither, the embedded default is used:
  the project-local PostgreSQL 15 cluster under ``.local/pg``.
* ``BBASE_ENV`` (default ``dev``), ``AWS_REGION`` (default ``ap-northeast-1``),
  ``AWS_ENDPOINT_URL`` (e.g. a local moto server).
* ``BBASE_SYNC_ROLE`` (default ``bbase_sync``): the role the sync job and
  ``bbase publish`` switch to (``SET ROLE``) after connecting, when the login
  user is a member of it; empty to stay the login user.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import quote

from glue.migrate import ROOT


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    db_secret_id: str | None
    env: str
    aws_region: str
    aws_endpoint_url: str | None
    sync_role: str = "bbase_sync"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            db_secret_id=os.environ.get("DB_SECRET_ID") or None,
            env=os.environ.get("BBASE_ENV", "dev"),
            aws_region=os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION", "ap-northeast-1"),
            aws_endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
            sync_role=os.environ.get("BBASE_SYNC_ROLE", "bbase_sync"),
        )


def dsn_from_secret(secret: dict) -> str:
    """Build a libpq URI from the design document's secret JSON."""
    missing = [k for k in ("username", "host", "database") if not secret.get(k)]
    if missing:
        raise ValueError(f"database secret lacks field(s) {', '.join(missing)}")
    user = quote(str(secret["username"]), safe="")
    password = quote(str(secret.get("password", "")), safe="")
    auth = f"{user}:{password}" if password else user
    port = int(secret.get("port", 5432))
    sslmode = secret.get("ssl", "prefer")
    if sslmode is True:
        sslmode = "require"
    return (f"postgresql://{auth}@{secret['host']}:{port}/"
            f"{quote(str(secret['database']), safe='')}?sslmode={sslmode}")


def resolve_dsn(settings: Settings | None = None, start_local: bool = True) -> str:
    """The database to use: DATABASE_URL, else DB_SECRET_ID, else the local cluster."""
    settings = settings or Settings.from_env()
    if settings.database_url:
        return settings.database_url
    if settings.db_secret_id:
        import boto3

        client = boto3.client("secretsmanager", region_name=settings.aws_region,
                              endpoint_url=settings.aws_endpoint_url)
        value = client.get_secret_value(SecretId=settings.db_secret_id)["SecretString"]
        return dsn_from_secret(json.loads(value))
    from glue.pgcluster import project_cluster

    cluster = project_cluster(ROOT)
    if start_local:
        cluster.start()
        ensure_database(cluster.dsn, "bbase")
    return cluster.dsn_for("bbase")


def ensure_database(admin_dsn: str, dbname: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
