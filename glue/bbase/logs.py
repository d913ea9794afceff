"""Logs: one JSON object per line on stderr.

Every line has ``ts`` (ISO-8601 UTC), ``level`` and ``event``, then the
event's own fields. A progress bar drawn on a terminal (glue/progress.py) is
cleared before a line is written, so the two never interleave.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import UTC, datetime
from typing import Any, TextIO

_lock = threading.Lock()
_clear_hook: list[Any] = []
_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}
#: Lines below this level are not written (``BBASE_LOG_LEVEL``, default info).
_threshold = [_LEVELS.get(os.environ.get("BBASE_LOG_LEVEL", "info").lower(), 20)]


def set_level(level: str) -> str:
    """Set the minimum level written; returns the previous one."""
    previous = next(k for k, v in _LEVELS.items() if v == _threshold[0])
    _threshold[0] = _LEVELS[level]
    return previous


def _default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def emit(event: str, level: str = "info", stream: TextIO | None = None, **fields: Any) -> None:
    """Write one log line: {"ts", "level", "event", **fields}."""
    if _LEVELS.get(level, 20) < _threshold[0]:
        return
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
