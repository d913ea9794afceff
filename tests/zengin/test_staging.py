"""Staging a source-data folder: COPY into zengin.snapshot_*, orphans counted not loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bbase.staging import read_source
from tests.zengin.helpers import SMALL_BANKS, SMALL_BRANCHES, bank, write_source


def test_branch_files_of_unknown_banks_are_counted_not_staged(tmp_path: Path) -> None:
    branches = dict(SMALL_BRANCHES)
    branches["9999"] = {"001": bank("001", "孤児", "コジ")}
    data = read_source(write_source(tmp_path, SMALL_BANKS, branches))
    assert data.orphan_bank_codes == ["9999"]
    assert len(data.banks) == 2 and len(data.branches) == 3
    assert data.version == "20990101"


def test_missing_banks_json_is_reported(tmp_path: Path) -> None:
    from bbase.errors import BbaseError

    with pytest.raises(BbaseError):
        read_source(tmp_path)


@pytest.mark.commits
def test_stage_command_prints_snapshot_id_last(fresh_dsn: str, tmp_path: Path) -> None:
    branches = dict(SMALL_BRANCHES)
    branches["9999"] = {"001": bank("001", "孤児", "コジ")}
    folder = write_source(tmp_path, SMALL_BANKS, branches)
    out = subprocess.run([sys.executable, "-m", "bbase.cli", "zengin", "stage", str(folder)],
                         env={"DATABASE_URL": fresh_dsn, "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert "skipped 1 branch file" in out
    snapshot_id = int(lines[-1])
    with psycopg.connect(fresh_dsn) as conn:
        row = conn.execute(
            "SELECT bank_count, branch_count, orphan_branch_files, orphan_bank_codes,"
            " (SELECT count(*) FROM zengin.snapshot_branches WHERE snapshot_id = s.id)"
            " FROM zengin.snapshots s WHERE id = %s", (snapshot_id,)).fetchone()
    assert row == (2, 3, 1, ["9999"], 3)
