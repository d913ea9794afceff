"""Logs: one JSON object per line on stderr.

Every line has ``ts`` (ISO-8601 UTC), ``level`` and ``event``, then the
event's own fields. A progress bar drawn on a terminal (glue/progress.py) is
cleared before a line is written, so the two never interleave.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from typing import Any, TextIO

_lock = threading.Lock()
_clear_hook: list[Any] = []


def _default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def emit(event: str, level: str = "info", stream: TextIO | None = None, **fields: Any) -> None:
    """Write one log line: {"ts", "level", "event", **fields}."""
    record = {
        "ts": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "level": level,
        "event": event,
        **fields,
    }
    line = json.dumps(record, ensure_ascii=False, default=_default)
    out = stream or sys.stderr
    with _lock:
        for hook in _clear_hook:
            hook()
        out.write(line + "\n")
        out.flush()


def info(event: str, **fields: Any) -> None:
    emit(event, "info", **fields)


def warning(event: str, **fields: Any) -> None:
    emit(event, "warning", **fields)


def error(event: str, **fields: Any) -> None:
    emit(event, "error", **fields)


def register_clear_hook(hook: Any) -> None:
    """Called (under the log lock) before each line; the progress bar clears itself."""
    _clear_hook.append(hook)


def unregister_clear_hook(hook: Any) -> None:
    if hook in _clear_hook:
        _clear_hook.remove(hook)
