"""A comparable dump of a database's schema, for install/upgrade equivalence tests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

PG_DUMP = Path("/usr/lib/postgresql/15/bin/pg_dump")


def schema_dump(dsn: str) -> str:
    out = subprocess.run(
        [str(PG_DUMP), "--schema-only", "--no-owner", "--no-privileges",
         "--exclude-table=public._yoyo*", "--exclude-table=public.yoyo_lock",
         "--exclude-table=public._yoyo_log", "--exclude-table=public._yoyo_version",
         dsn],
        check=True, capture_output=True, text=True,
    ).stdout
    # Drop comment-only lines and the dump banner; keep every definition.
    lines = [ln for ln in out.splitlines() if ln and not ln.startswith("--")]
    text = "\n".join(lines)
    return re.sub(r"\\restrict \S+|\\unrestrict \S+", "", text)


def privileges_dump(dsn: str) -> str:
    out = subprocess.run(
        [str(PG_DUMP), "--schema-only", "--no-owner", dsn],
        check=True, capture_output=True, text=True,
    ).stdout
    return "\n".join(sorted(ln for ln in out.splitlines() if ln.startswith(("GRANT", "REVOKE"))))
