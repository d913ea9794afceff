"""Properties of the migration machinery (yoyo + replaceable objects)."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from bbase import migrate as mig
from bbase_workshop import CHECKOUT
from tests.foundation.catalog import privileges_dump, schema_dump

pytestmark = pytest.mark.commits


def _all_ids() -> list[str]:
    return [m.id for m in mig._migrations()]


def test_migrate_twice_changes_nothing(empty_dsn: str) -> None:
    applied, _ = mig.migrate(empty_dsn)
    assert applied == _all_ids()
    with psycopg.connect(empty_dsn) as conn:
        recorded = {r[0] for r in conn.execute("SELECT path FROM bbase.replaceable_objects")}
    assert recorded == {f.relpath for f in mig.replaceable_files()}
    before = schema_dump(empty_dsn)
    applied2, replayed2 = mig.migrate(empty_dsn)
    assert applied2 == [] and replayed2 == []
    assert schema_dump(empty_dsn) == before


def test_upgrade_from_previous_migration_set_equals_fresh_install(
    empty_dsn: str, fresh_dsn: str
) -> None:
    ids = _all_ids()
    assert len(ids) >= 2, "needs at least two migrations to upgrade across"
    previous = ids[:-1]
    mig.migrate(empty_dsn, only=previous)
    mig.migrate(empty_dsn)
    assert schema_dump(empty_dsn) == schema_dump(fresh_dsn)
    assert privileges_dump(empty_dsn) == privileges_dump(fresh_dsn)


def test_rollback_everything_then_reapply_restores_schema(fresh_dsn: str) -> None:
    reference = schema_dump(fresh_dsn)
    rolled = mig.rollback(fresh_dsn)
    assert rolled == list(reversed(_all_ids()))
    with psycopg.connect(fresh_dsn) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('public', 'information_schema')"
        ).fetchone()[0]
    assert left == 0, "rollback of everything leaves no product schema behind"
    mig.migrate(fresh_dsn)
    assert schema_dump(fresh_dsn) == reference


def test_changed_function_reaches_database_without_pending_migration(fresh_dsn: str) -> None:
    files = mig.replaceable_files()
    target = next(f for f in files if f.kind == "functions")
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        # Simulate a database migrated with an older version of this file.
        conn.execute(
            "UPDATE bbase.replaceable_objects SET sha256 = repeat('0', 64) WHERE path = %s",
            (target.relpath,),
        )
        applied, replayed = mig.migrate(fresh_dsn)
        assert applied == []
        assert replayed == [target.relpath]
        sha = conn.execute(
            "SELECT sha256 FROM bbase.replaceable_objects WHERE path = %s", (target.relpath,)
        ).fetchone()[0]
    assert sha == target.sha256


def test_plain_yoyo_apply_installs_replaceable_objects(empty_dsn: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "yoyo", "apply", "--batch", "--database",
         mig.yoyo_uri(empty_dsn), str(mig.MIGRATIONS_DIR)],
        check=True, capture_output=True, cwd=CHECKOUT,
    )
    with psycopg.connect(empty_dsn) as conn:
        recorded = {r[0] for r in conn.execute("SELECT path FROM bbase.replaceable_objects")}
    assert recorded == {f.relpath for f in mig.replaceable_files()}
