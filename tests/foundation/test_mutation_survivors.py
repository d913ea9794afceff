"""Foundation rules that a mutation (bbase mutate, docs/testing.md) broke without any test
failing: one property per test, named after the rule."""

from __future__ import annotations

import psycopg
import pytest


def test_a_replayed_file_is_recorded_only_with_a_sha256_checksum(db: psycopg.Connection) -> None:
    """bbase.replaceable_objects: the checksum that decides whether a file is replayed again
    is 64 lowercase hex digits (replaceable_objects_sha256_check)."""
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        db.execute("INSERT INTO bbase.replaceable_objects (path, sha256, migration_state)"
                   " VALUES ('sql/functions/bbase/x.sql', 'ABC', 'state')")
    assert exc.value.diag.constraint_name == "replaceable_objects_sha256_check"
