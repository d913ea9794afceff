"""A small progress bar for long syncs, drawn on stderr only when it is a terminal.

No dependency: a single line redrawn at most ten times a second with ``\\r``.
When stderr is not a terminal (cron, containers, Lambda) it draws nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from bbase import logs


class Progress:
    """``with Progress("pull", total=n) as bar: bar.advance()``."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._last = 0.0
        self._started = time.monotonic()
        self._drawn = False

    def __enter__(self) -> Progress:
        if self.enabled:
            logs.register_clear_hook(self.clear)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
            logs.unregister_clear_hook(self.clear)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.enabled:
            self.draw()

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        rate = self.done / max(now - self._started, 1e-6)
        if self.total:
            frac = min(self.done / self.total, 1.0)
            width = 30
            filled = int(frac * width)
            bar = "█" * filled + "░" * (width - filled)
            text = f"{self.label:<10} {bar} {self.done}/{self.total} {frac:4.0%} {rate:,.0f}/s"
        else:
            text = f"{self.label:<10} {self.done} {rate:,.0f}/s"
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self._drawn = True
