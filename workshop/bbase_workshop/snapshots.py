"""Fetch released Zengin source data: the ``zengin-code`` wheel from PyPI.

``fetch_snapshot("20260824")`` downloads ``zengin-code==1.1.0.20260824`` with
``pip download --no-deps`` into ``.local/zengin/<version>/`` (cached there;
``.local/`` is gitignored), unpacks it, and returns the data folder
``zengin_code/source-data/data`` (``banks.json`` + ``branches/<bank_code>.json``).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from bbase.errors import BbaseError
from bbase_workshop import CHECKOUT as ROOT

CACHE_DIR = ROOT / ".local" / "zengin"
PACKAGE = "zengin-code"
PACKAGE_VERSION_PREFIX = "1.1.0."
DATA_IN_WHEEL = Path("zengin_code") / "source-data" / "data"


def _normalise(version: str) -> str:
    """Accept ``20260824`` or ``1.1.0.20260824``; return ``20260824``."""
    version = version.strip()
    if version.startswith(PACKAGE_VERSION_PREFIX):
        version = version[len(PACKAGE_VERSION_PREFIX):]
    if not (len(version) == 8 and version.isdigit()):
        raise BbaseError(f"zengin-code version must be YYYYMMDD or 1.1.0.YYYYMMDD, got {version!r}")
    return version


def fetch_snapshot(version: str, cache_dir: Path = CACHE_DIR) -> Path:
    """The data folder of zengin-code 1.1.0.<version>, downloaded once and cached."""
    version = _normalise(version)
    target = cache_dir / version
    data = target / "wheel" / DATA_IN_WHEEL
    if (data / "banks.json").is_file():
        return data
    target.mkdir(parents=True, exist_ok=True)
    wheels = sorted(target.glob("zengin_code-*.whl"))
    if not wheels:
        spec = f"{PACKAGE}=={PACKAGE_VERSION_PREFIX}{version}"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--dest", str(target), spec],
            capture_output=True, text=True,
        )
        wheels = sorted(target.glob("zengin_code-*.whl"))
        if result.returncode != 0 or not wheels:
            raise BbaseError(f"pip download {spec} failed: {result.stderr.strip()[-500:]}")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        members = [m for m in wheel.namelist() if m.startswith(DATA_IN_WHEEL.as_posix() + "/")]
        wheel.extractall(target / "wheel", members=members)
    if not (data / "banks.json").is_file():
        raise BbaseError(f"{wheels[-1].name} holds no {DATA_IN_WHEEL}/banks.json")
    return data
