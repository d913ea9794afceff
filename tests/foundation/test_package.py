"""The product installs as a wheel a DBA can take anywhere.

The wheel is built from this checkout, installed into a clean venv (no
workshop, no moto), and run from a directory outside the checkout: it must
carry its own migrations and SQL and install bbase into an empty database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bbase import migrate as mig
from bbase_workshop import CHECKOUT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy: setuptools keeps a build/ folder in the source tree,
    # and a file deleted or renamed since the last build would ship again.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "glue", "sql", "migrations"):
        copy = shutil.copytree if (CHECKOUT / name).is_dir() else shutil.copy2
        copy(CHECKOUT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    (built,) = out.glob("bbase-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A clean venv with only the product wheel (and its runtime dependencies)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, capture_output=True)
    yield venv


def _bbase(venv: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "DB_SECRET_ID", "BBASE_LOCAL", "PYTHONPATH")}
    return subprocess.run([str(venv / "bin" / "bbase"), *args], cwd=cwd, text=True,
                          capture_output=True, env={**clean, **env}, timeout=300)


def test_wheel_carries_every_migration_and_sql_file_and_no_workshop(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = {f"bbase/migrations/{p.name}" for p in mig.MIGRATIONS_DIR.iterdir()
                  if p.is_file() and not p.name.startswith(".")}
    sql_files = {f"bbase/{f.relpath}" for f in mig.replaceable_files()}
    assert migrations - names == set()
    assert sql_files - names == set()
    assert not any(n.startswith("bbase_workshop/") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist:")]
    assert requires and not any("moto" in line for line in requires)


def test_installed_wheel_migrates_an_empty_database_from_another_directory(
        installed: Path, empty_dsn: str, tmp_path: Path) -> None:
    result = _bbase(installed, tmp_path, "migrate", DATABASE_URL=empty_dsn)
    assert result.returncode == 0, result.stderr
    expected = len([m for m in mig.status(empty_dsn)])
    assert f"{expected} migration(s) applied" in result.stdout
    with psycopg.connect(empty_dsn) as conn:
        replayed = {r[0] for r in conn.execute("SELECT path FROM bbase.replaceable_objects")}
    assert replayed == {f.relpath for f in mig.replaceable_files()}
    assert all(applied for _, applied in mig.status(empty_dsn))


def test_installed_wheel_without_a_database_says_so_and_starts_no_cluster(
        installed: Path, tmp_path: Path) -> None:
    result = _bbase(installed, tmp_path, "dsn")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    site = next((installed / "lib").glob("python3*/site-packages"))
    assert not (site / ".local").exists() and not (site / "bbase" / ".local").exists()


def test_installed_wheel_offers_no_workshop_commands(installed: Path, tmp_path: Path) -> None:
    result = _bbase(installed, tmp_path, "--help")
    assert result.returncode == 0
    commands = result.stdout.split("options:")[0]
    assert "migrate" in commands
    assert not {"demo", "bench"} & set(commands.split())
