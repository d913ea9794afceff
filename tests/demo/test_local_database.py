"""``bbase --local`` points at the database the demo left behind, and only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from bbase import config
from bbase_workshop import pgcluster


def test_local_database_is_bbase_until_the_demo_names_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgcluster, "LOCAL", tmp_path)
    assert pgcluster.current_database() == "bbase"
    pgcluster.set_current_database("bbase_demo")
    assert pgcluster.current_database() == "bbase_demo"
    assert (tmp_path / "pg.database").read_text().strip() == "bbase_demo"


def test_without_a_configured_database_nothing_local_starts_unless_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DB_SECRET_ID", "BBASE_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    started: list[str] = []
    monkeypatch.setattr(pgcluster, "local_dsn", lambda: started.append("local") or "x")
    with pytest.raises(config.ConfigError, match="DATABASE_URL"):
        config.resolve_dsn()
    assert started == []


def test_local_flag_asks_the_workshop_for_its_database(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DB_SECRET_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BBASE_LOCAL", "1")
    monkeypatch.setenv("BBASE_LOCAL_POOLER", "0")  # the cluster only: no PgBouncer to start
    monkeypatch.setattr(pgcluster, "local_dsn",
                        lambda: "postgresql://postgres@127.0.0.1:1/bbase_demo")
    assert config.resolve_dsn() == "postgresql://postgres@127.0.0.1:1/bbase_demo"
